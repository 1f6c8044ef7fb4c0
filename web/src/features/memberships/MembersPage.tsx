// /members — who is a member on a day: the counts per type (a table with the figures and a bar
// chart beside it), the members themselves (paged, linked to their profiles) and the calendar of
// starts and ends coming up. The day, type and page live in the URL.
import type { ColumnDef } from "@tanstack/react-table";
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Field } from "../../ui/Field";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { MembersCalendar } from "./MembersCalendar";
import { MemberCountsChart } from "./MemberCountsChart";
import {
  isoToday,
  useCalendar,
  useMemberCounts,
  useMembersOn,
  useTypeChoices,
  type Member,
  type MemberCounts,
} from "./membershipApi";
import "./memberships.css";

export default function MembersPage() {
  const { t, date } = useI18n();
  const params = useListParams();
  const calendar = useCalendar();
  // The service's own day (its time zone, or a frozen clock), else the browser's.
  const today = calendar.data?.today ?? isoToday();
  const on = params.filter("on") || today;
  const counts = useMemberCounts(on);

  return (
    <Page title={t("memberships.members.title")}>
      <div className="toolbar">
        <Field label={t("memberships.members.on")}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={on}
              onChange={(event) => params.setFilter("on", event.target.value === today ? "" : event.target.value)}
            />
          )}
        </Field>
        {on !== today ? (
          <button type="button" className="btn ms-toolbar-button" onClick={() => params.setFilter("on", "")}>
            {t("memberships.members.today")}
          </button>
        ) : null}
      </div>
      <section className="card ms-card" aria-labelledby="ms-counts-heading">
        <h2 id="ms-counts-heading">{t("memberships.members.countsHeading", { date: date(on) })}</h2>
        {counts.isPending ? <Loading /> : null}
        <ProblemAlert error={counts.error} />
        {counts.data ? (
          <CountsByType counts={counts.data} onPick={(typeId) => params.setFilter("type", typeId)} />
        ) : null}
      </section>
      <MemberList on={on} />
      <MembersCalendar today={today} calendar={calendar.data} />
    </Page>
  );
}

function CountsByType({ counts, onPick }: { counts: MemberCounts; onPick: (typeId: string) => void }) {
  const { t, number } = useI18n();
  if (counts.types.length === 0) return <p>{t("memberships.members.noneOn")}</p>;
  return (
    <div className="ms-counts">
      <table className="data-table ms-counts-table">
        <caption className="visually-hidden">{t("memberships.members.countsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("memberships.field.type")}</th>
            <th scope="col" className="ms-number">
              {t("memberships.members.count")}
            </th>
          </tr>
        </thead>
        <tbody>
          {counts.types.map((row) => (
            <tr key={row.type_id}>
              <th scope="row">
                <button
                  type="button"
                  className="btn-link"
                  aria-label={t("memberships.members.showType", { type: row.type_name })}
                  onClick={() => onPick(row.type_id)}
                >
                  {row.type_name}
                </button>
              </th>
              <td className="ms-number">{number(row.members)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("memberships.members.totalMemberships")}</th>
            <td className="ms-number">{number(counts.total_memberships)}</td>
          </tr>
          <tr>
            <th scope="row">{t("memberships.members.totalContacts")}</th>
            <td className="ms-number">{number(counts.total_contacts)}</td>
          </tr>
        </tfoot>
      </table>
      <MemberCountsChart types={counts.types} />
    </div>
  );
}

function MemberList({ on }: { on: string }) {
  const { t, date } = useI18n();
  const params = useListParams();
  const types = useTypeChoices(true);
  const typeId = params.filter("type");
  const members = useMembersOn(on, typeId, params.offset, params.pageSize);

  const columns: ColumnDef<Member, unknown>[] = [
    {
      id: "name",
      header: t("memberships.members.name"),
      cell: ({ row }) => (
        <Link to={`/contacts/${row.original.contact_id}`}>
          {`${row.original.first_name} ${row.original.last_name}`.trim()}
        </Link>
      ),
    },
    { id: "number", header: t("memberships.field.number"), cell: ({ row }) => row.original.member_number },
    { id: "type", header: t("memberships.field.type"), cell: ({ row }) => row.original.type_name },
    { id: "start", header: t("memberships.field.start"), cell: ({ row }) => date(row.original.start_date) },
    {
      id: "end",
      header: t("memberships.field.end"),
      cell: ({ row }) =>
        row.original.end_date ? date(row.original.end_date) : t("memberships.panel.openEnd"),
    },
  ];

  return (
    <section className="card ms-card" aria-labelledby="ms-members-heading">
      <h2 id="ms-members-heading">{t("memberships.members.listHeading", { date: date(on) })}</h2>
      <div className="toolbar">
        <Field label={t("memberships.field.type")}>
          {(control) => (
            <select {...control} value={typeId} onChange={(event) => params.setFilter("type", event.target.value)}>
              <option value="">{t("memberships.members.allTypes")}</option>
              {(types.data ?? []).map((type) => (
                <option key={type.id} value={type.id}>
                  {type.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ProblemAlert error={members.error} />
      <DataTable
        columns={columns}
        rows={members.data?.items ?? []}
        total={members.data?.total ?? 0}
        params={params}
        caption={t("memberships.members.listHeading", { date: date(on) })}
        busy={members.isFetching}
      />
    </section>
  );
}
