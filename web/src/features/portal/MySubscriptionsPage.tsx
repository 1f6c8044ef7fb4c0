// My newsletters: each mailing list I am on (or opted out of), and opting out of one or back
// in. An opt-out holds even when a group I am in would subscribe me again.
import { useState } from "react";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import {
  useChangeSubscription,
  useMyContactId,
  useMySubscriptions,
  type Subscription,
} from "./portalApi";
import "./portal.css";

export default function MySubscriptionsPage() {
  const { t } = useI18n();
  const id = useMyContactId();
  const subscriptions = useMySubscriptions(id);
  const items = subscriptions.data?.items ?? [];
  return (
    <Page title={t("portal.nav.subscriptions")}>
      <p>{t("portal.subscriptions.intro")}</p>
      {subscriptions.isPending ? <Loading /> : null}
      <ProblemAlert error={subscriptions.error} />
      {subscriptions.isSuccess && items.length === 0 ? (
        <p className="card">{t("portal.subscriptions.none")}</p>
      ) : null}
      {items.length ? <SubscriptionList contactId={id} items={items} /> : null}
    </Page>
  );
}

function SubscriptionList({ contactId, items }: { contactId: string; items: Subscription[] }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const change = useChangeSubscription(contactId);
  const [changedList, setChangedList] = useState<string | null>(null);
  const mayOptOut = can("POST", "/newsletters/contacts/{contact_id}/opt-outs");
  const mayOptIn = can("DELETE", "/newsletters/contacts/{contact_id}/opt-outs/{list_id}");
  return (
    <ul className="portal-lists">
      {items.map((subscription) => {
        const busy = change.isPending && changedList === subscription.list_id;
        return (
          <li key={subscription.list_id} className="card portal-list">
            <div>
              <h2 className="portal-list-name">{subscription.list_name}</h2>
              <SubscriptionState subscription={subscription} />
            </div>
            {subscription.opted_out && mayOptIn ? (
              <button
                type="button"
                className="btn"
                disabled={busy}
                aria-label={t("portal.subscriptions.optInNamed", { list: subscription.list_name })}
                onClick={() => {
                  setChangedList(subscription.list_id);
                  change.mutate({ listId: subscription.list_id, optOut: false });
                }}
              >
                {t("portal.subscriptions.optIn")}
              </button>
            ) : null}
            {!subscription.opted_out && subscription.active && mayOptOut ? (
              <button
                type="button"
                className="btn"
                disabled={busy}
                aria-label={t("portal.subscriptions.optOutNamed", { list: subscription.list_name })}
                onClick={() => {
                  setChangedList(subscription.list_id);
                  change.mutate({ listId: subscription.list_id, optOut: true });
                }}
              >
                {t("portal.subscriptions.optOut")}
              </button>
            ) : null}
            {change.error && changedList === subscription.list_id ? (
              <div className="portal-list-error">
                <ProblemAlert error={change.error} />
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function SubscriptionState({ subscription }: { subscription: Subscription }) {
  const { t, date } = useI18n();
  if (subscription.opted_out) {
    return (
      <p>
        <span className="badge">{t("portal.subscriptions.optedOut")}</span>{" "}
        {subscription.ended_at
          ? t("portal.subscriptions.since", { date: date(subscription.ended_at) })
          : null}
      </p>
    );
  }
  if (subscription.active) {
    return (
      <p>
        <span className="badge badge-ok">{t("portal.subscriptions.subscribed")}</span>{" "}
        {subscription.started_at
          ? t("portal.subscriptions.since", { date: date(subscription.started_at) })
          : null}
      </p>
    );
  }
  return (
    <p>
      <span className="badge">{t("portal.subscriptions.ended")}</span>
    </p>
  );
}
