// The starts and ends coming up in the next days, and the service's own calendar (its day, time
// zone, and the last day the scheduler settled). The service has no list of starts and ends in
// a period, so both come from the members on two days: those active at the window's end that
// start after today, and those active today whose end falls inside the window.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";

import type { components } from "../../api/schema";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { addDays, allMembersOn, membershipKeys, type Member } from "./membershipApi";

const WINDOWS = [7, 30, 90, 365] as const;

interface Upcoming {
  starts: Member[];
  ends: Member[];
}

function useUpcoming(today: string, days: number) {
  return useQuery({
    queryKey: [...membershipKeys.members, "upcoming", today, days],
    queryFn: async ({ signal }): Promise<Upcoming> => {
      const last = addDays(today, days);
      const [atEnd, now] = await Promise.all([
        allMembersOn(last, undefined, signal),
        allMembersOn(today, undefined, signal),
      ]);
      return {
        starts: atEnd
          .filter((member) => member.start_date > today)
          .sort((a, b) => a.start_date.localeCompare(b.start_date)),
        ends: now
          .filter((member) => member.end_date !== null && member.end_date <= last)
          .sort((a, b) => (a.end_date ?? "").localeCompare(b.end_date ?? "")),
      };
    },
  });
}

interface MembersCalendarProps {
  today: string;
  calendar: components["schemas"]["memberships.CalendarView"] | undefined;
}

export function MembersCalendar({ today, calendar }: MembersCalendarProps) {
  const { t, date } = useI18n();
  const params = useListParams();
  const days = Number(params.filter("days")) || 30;
  const upcoming = useUpcoming(today, days);

  return (
    <section className="card ms-card" aria-labelledby="ms-calendar-heading">
      <h2 id="ms-calendar-heading">{t("memberships.calendar.heading")}</h2>
      {calendar ? (
        <p className="ms-muted">
          {t("memberships.calendar.today", { date: date(calendar.today), zone: calendar.time_zone })}
          {calendar.frozen ? ` ${t("memberships.calendar.frozen")}` : ""}{" "}
          {calendar.settled_through
            ? t("memberships.calendar.settled", { date: date(calendar.settled_through) })
            : null}
        </p>
      ) : null}
      <div className="toolbar">
        <Field label={t("memberships.calendar.window")}>
          {(control) => (
            <select
              {...control}
              value={String(days)}
              onChange={(event) => params.setFilter("days", event.target.value === "30" ? "" : event.target.value)}
            >
              {WINDOWS.map((window) => (
                <option key={window} value={window}>
                  {t("memberships.calendar.days", { days: window })}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {upcoming.isPending ? <Loading /> : null}
      <ProblemAlert error={upcoming.error} />
      {upcoming.data ? (
        <div className="ms-columns">
          <Happenings
            title={t("memberships.calendar.starts")}
            members={upcoming.data.starts}
            dayOf={(member) => member.start_date}
          />
          <Happenings
            title={t("memberships.calendar.ends")}
            members={upcoming.data.ends}
            dayOf={(member) => member.end_date ?? ""}
          />
        </div>
      ) : null}
    </section>
  );
}

function Happenings(props: { title: string; members: Member[]; dayOf: (member: Member) => string }) {
  const { t, date } = useI18n();
  return (
    <div>
      <h3>
        {props.title} <span className="badge">{props.members.length}</span>
      </h3>
      {props.members.length === 0 ? (
        <p className="ms-muted">{t("memberships.calendar.nothing")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("memberships.calendar.day")}</th>
                <th scope="col">{t("memberships.members.name")}</th>
                <th scope="col">{t("memberships.field.type")}</th>
              </tr>
            </thead>
            <tbody>
              {props.members.map((member) => (
                <tr key={member.membership_id}>
                  <td>{date(props.dayOf(member))}</td>
                  <td>
                    <Link to={`/contacts/${member.contact_id}`}>
                      {`${member.first_name} ${member.last_name}`.trim()}
                    </Link>
                  </td>
                  <td>{member.type_name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
