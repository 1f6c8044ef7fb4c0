// The contact's standing on each mailing list; group-made subscriptions arrive through events,
// so this follows the profile's periodic refetch.
import { useI18n } from "../../../i18n/i18n";
import type { Section, SubscriptionPage } from "./profileApi";
import { SectionBody } from "./SectionBody";

export function SubscriptionsTab({ section }: { section: Section<SubscriptionPage> }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="profile-subscriptions-heading">
      <h2 id="profile-subscriptions-heading">{t("contacts.profile.subscriptions.heading")}</h2>
      <SectionBody section={section} what={t("contacts.profile.services.newsletters")}>
        {(page) => <SubscriptionTable page={page} />}
      </SectionBody>
    </section>
  );
}

function SubscriptionTable({ page }: { page: SubscriptionPage }) {
  const { t, date } = useI18n();
  if (page.items.length === 0) return <p>{t("contacts.profile.subscriptions.none")}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{t("contacts.profile.subscriptions.heading")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("contacts.profile.subscriptions.list")}</th>
            <th scope="col">{t("contacts.profile.subscriptions.state")}</th>
            <th scope="col">{t("contacts.profile.subscriptions.how")}</th>
            <th scope="col">{t("contacts.profile.subscriptions.since")}</th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((subscription) => {
            const how = [
              subscription.via_group ? t("contacts.profile.subscriptions.viaGroup") : null,
              subscription.manual ? t("contacts.profile.subscriptions.manual") : null,
              subscription.opted_out ? t("contacts.profile.subscriptions.optedOut") : null,
            ].filter(Boolean);
            return (
              <tr key={subscription.subscription_id}>
                <td>{subscription.list_name}</td>
                <td>
                  <span className={subscription.active ? "badge badge-ok" : "badge"}>
                    {subscription.active
                      ? t("contacts.profile.subscriptions.active")
                      : t("contacts.profile.subscriptions.inactive")}
                  </span>
                </td>
                <td>{how.join(", ") || "—"}</td>
                <td>
                  {subscription.active
                    ? date(subscription.started_at)
                    : subscription.ended_at
                      ? t("contacts.profile.subscriptions.endedOn", {
                          date: date(subscription.ended_at),
                        })
                      : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
