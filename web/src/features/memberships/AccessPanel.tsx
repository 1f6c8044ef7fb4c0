// A contact's effective access on a day (for the profile): each right with where it comes
// from, a group the contact is in or a membership type active that day.
import { useId, useState } from "react";
import { Link } from "react-router";

import type { components } from "../../api/schema";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { isoToday, useContactAccess } from "./membershipApi";
import "./memberships.css";

type Source = components["schemas"]["memberships.RightSource"];

export function AccessPanel({ contactId }: { contactId: string }) {
  const { t, date } = useI18n();
  const headingId = useId();
  const [on, setOn] = useState(isoToday());
  const access = useContactAccess(contactId, on || isoToday());
  const rights = access.data?.rights ?? [];

  return (
    <section className="card ms-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("memberships.access.heading")}</h2>
      <div className="ms-status-day">
        <Field label={t("memberships.access.on")}>
          {(control) => (
            <input {...control} type="date" value={on} onChange={(event) => setOn(event.target.value)} />
          )}
        </Field>
      </div>
      {access.isPending ? <Loading /> : null}
      <ProblemAlert error={access.error} />
      {access.isSuccess && rights.length === 0 ? (
        <p>{t("memberships.access.none", { date: date(access.data.on) })}</p>
      ) : null}
      {rights.length ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">
              {t("memberships.access.caption", { date: date(access.data?.on ?? on) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("memberships.access.right")}</th>
                <th scope="col">{t("memberships.access.sources")}</th>
              </tr>
            </thead>
            <tbody>
              {rights.map((right) => (
                <tr key={right.right}>
                  <td>
                    <code>{right.right}</code>
                  </td>
                  <td>
                    <ul className="ms-sources">
                      {right.sources.map((source, index) => (
                        <li key={index}>
                          <SourceLabel source={source} />
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function SourceLabel({ source }: { source: Source }) {
  const { t } = useI18n();
  const { can } = useAuth();
  if (source.kind === "group") {
    const name = source.group_name ?? "—";
    return (
      <>
        {t("memberships.access.viaGroup")}{" "}
        {source.group_id && can("GET", "/contacts/groups/{group_id}") ? (
          <Link to={`/groups/${source.group_id}`}>{name}</Link>
        ) : (
          name
        )}
      </>
    );
  }
  const name = source.type_name ?? "—";
  return (
    <>
      {t("memberships.access.viaMembership")}{" "}
      {source.type_id && can("GET", "/memberships/membership-types/{type_id}") ? (
        <Link to={`/membership-types/${source.type_id}`}>{name}</Link>
      ) : (
        name
      )}
    </>
  );
}
