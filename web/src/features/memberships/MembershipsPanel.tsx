// A contact's memberships (for the profile's memberships tab): the whole history, oldest first,
// with each one's status on a chosen day and whether the contact is a member then; starting
// one, setting an end, changing the type on a date and deleting a mistake.
import { Fragment, useId, useState } from "react";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { STATUS_BADGE, useMembershipLabels } from "./labels";
import { isoToday, useContactMemberships, type Membership } from "./membershipApi";
import {
  ChangeTypeDialog,
  DeleteMembershipDialog,
  EndMembershipDialog,
  StartMembershipDialog,
} from "./MembershipDialogs";
import "./memberships.css";

type Action = { kind: "end" | "change" | "delete"; membership: Membership } | { kind: "start" };

export function MembershipsPanel({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const headingId = useId();
  const [on, setOn] = useState(isoToday());
  const memberships = useContactMemberships(contactId, on || isoToday());
  const [action, setAction] = useState<Action | null>(null);
  const [target, setTarget] = useState<{ membership: Membership; serial: number } | null>(null);
  const items = memberships.data?.items ?? [];
  const close = () => setAction(null);
  const act = (next: Action) => {
    if (next.kind !== "start") {
      setTarget((last) => ({ membership: next.membership, serial: (last?.serial ?? 0) + 1 }));
    }
    setAction(next);
  };

  return (
    <section className="card ms-card" aria-labelledby={headingId}>
      <div className="ms-section-head">
        <h2 id={headingId}>{t("memberships.panel.heading")}</h2>
        {can("POST", "/memberships/memberships") ? (
          <button type="button" className="btn btn-primary" onClick={() => act({ kind: "start" })}>
            {t("memberships.panel.start")}
          </button>
        ) : null}
      </div>
      <div className="ms-status-day">
        <Field label={t("memberships.panel.statusOn")}>
          {(control) => (
            <input {...control} type="date" value={on} onChange={(event) => setOn(event.target.value)} />
          )}
        </Field>
        {memberships.data ? <StatusOnDay items={items} on={memberships.data.items[0]?.on ?? on} /> : null}
      </div>
      {memberships.isPending ? <Loading /> : null}
      <ProblemAlert error={memberships.error} />
      {memberships.isSuccess && items.length === 0 ? <p>{t("memberships.panel.none")}</p> : null}
      {items.length ? (
        <MembershipHistory items={items} onAction={act} />
      ) : null}
      <StartMembershipDialog open={action?.kind === "start"} contactId={contactId} onClose={close} />
      {target ? (
        // A new key for each opening: the dialog starts fresh, and it stays mounted while
        // closing so the native dialog returns focus to the button that opened it.
        <Fragment key={`${target.membership.id}-${target.serial}`}>
          <EndMembershipDialog
            open={action?.kind === "end"}
            contactId={contactId}
            membership={target.membership}
            onClose={close}
          />
          <ChangeTypeDialog
            open={action?.kind === "change"}
            contactId={contactId}
            membership={target.membership}
            onClose={close}
          />
          <DeleteMembershipDialog
            open={action?.kind === "delete"}
            contactId={contactId}
            membership={target.membership}
            onClose={close}
          />
        </Fragment>
      ) : null}
    </section>
  );
}

/** Member or not on the day asked, and of which types. */
function StatusOnDay({ items, on }: { items: Membership[]; on: string }) {
  const { t, date } = useI18n();
  const active = items.filter((membership) => membership.status === "active");
  return (
    <p className={active.length ? "ms-verdict ms-verdict-yes" : "ms-verdict"} role="status">
      {active.length
        ? t("memberships.panel.memberOn", {
            date: date(on),
            types: active.map((membership) => membership.type_name).join(", "),
          })
        : t("memberships.panel.noMemberOn", { date: date(on) })}
    </p>
  );
}

function MembershipHistory(props: { items: Membership[]; onAction: (action: Action) => void }) {
  const { t, date } = useI18n();
  const { can } = useAuth();
  const labels = useMembershipLabels();
  const byId = new Map(props.items.map((membership) => [membership.id, membership]));
  const mayEnd = can("POST", "/memberships/memberships/{membership_id}/end");
  const mayChange = can("POST", "/memberships/memberships/{membership_id}/change-type");
  const mayDelete = can("DELETE", "/memberships/memberships/{membership_id}");
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{t("memberships.panel.heading")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("memberships.field.type")}</th>
            <th scope="col">{t("memberships.field.number")}</th>
            <th scope="col">{t("memberships.field.start")}</th>
            <th scope="col">{t("memberships.field.end")}</th>
            <th scope="col">{t("memberships.field.status")}</th>
            {mayEnd || mayChange || mayDelete ? (
              <th scope="col">{t("memberships.field.actions")}</th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {props.items.map((membership) => {
            const replaced = membership.replaces ? byId.get(membership.replaces) : undefined;
            // Once its end is announced, or another type follows it, a membership is history.
            const open =
              membership.ended_at === null &&
              !props.items.some((other) => other.replaces === membership.id);
            return (
              <tr key={membership.id}>
                <td>
                  {membership.type_name}
                  {replaced ? (
                    <div className="ms-muted">
                      {t("memberships.panel.replaces", { type: replaced.type_name })}
                    </div>
                  ) : null}
                </td>
                <td>{membership.member_number}</td>
                <td className="ms-nowrap">{date(membership.start_date)}</td>
                <td className="ms-nowrap">
                  {membership.end_date ? date(membership.end_date) : t("memberships.panel.openEnd")}
                  {membership.end_reason ? (
                    <div className="ms-muted">{labels.reason(membership.end_reason)}</div>
                  ) : null}
                </td>
                <td>
                  <span className={STATUS_BADGE[membership.status]}>
                    {labels.status(membership.status)}
                  </span>
                </td>
                {mayEnd || mayChange || mayDelete ? (
                  <td>
                    <div className="ms-row-actions">
                      {mayEnd && open ? (
                        <button
                          type="button"
                          className="btn"
                          aria-label={t("memberships.end.openOne", { type: membership.type_name })}
                          onClick={() => props.onAction({ kind: "end", membership })}
                        >
                          {t("memberships.end.open")}
                        </button>
                      ) : null}
                      {mayChange && open ? (
                        <button
                          type="button"
                          className="btn"
                          aria-label={t("memberships.change.openOne", { type: membership.type_name })}
                          onClick={() => props.onAction({ kind: "change", membership })}
                        >
                          {t("memberships.change.open")}
                        </button>
                      ) : null}
                      {mayDelete ? (
                        <button
                          type="button"
                          className="btn btn-link ms-danger-link"
                          aria-label={t("memberships.delete.openOne", { type: membership.type_name })}
                          onClick={() => props.onAction({ kind: "delete", membership })}
                        >
                          {t("common.delete")}
                        </button>
                      ) : null}
                    </div>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
