// What the contact holds from today on (keys, lockers, …).
import { Link } from "react-router";

import { useI18n } from "../../../i18n/i18n";
import { Loading } from "../../../ui/Page";
import { ProblemAlert } from "../../../ui/Problem";
import { useContactResources } from "./profileApi";

export function ResourcesTab({ contactId }: { contactId: string }) {
  const { t, date } = useI18n();
  const held = useContactResources(contactId);
  return (
    <section className="card" aria-labelledby="profile-resources-heading">
      <h2 id="profile-resources-heading">{t("contacts.profile.resources.heading")}</h2>
      {held.isPending ? <Loading /> : null}
      <ProblemAlert error={held.error} />
      {held.data?.length === 0 ? <p>{t("contacts.profile.resources.none")}</p> : null}
      {held.data?.length ? (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{t("contacts.profile.resources.heading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("contacts.profile.resources.name")}</th>
                <th scope="col">{t("contacts.profile.resources.kind")}</th>
                <th scope="col">{t("contacts.profile.resources.from")}</th>
                <th scope="col">{t("contacts.profile.resources.until")}</th>
                <th scope="col">{t("contacts.profile.resources.note")}</th>
              </tr>
            </thead>
            <tbody>
              {held.data.map(({ allocation, resource }) => (
                <tr key={allocation.id}>
                  <td>
                    <Link to={`/resources/${allocation.resource_id}`}>
                      {resource?.name ?? t("contacts.profile.resources.unknown")}
                    </Link>
                  </td>
                  <td>{resource?.kind ?? "—"}</td>
                  <td>{date(allocation.start_date)}</td>
                  <td>{allocation.end_date ? date(allocation.end_date) : "—"}</td>
                  <td>{allocation.note || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
