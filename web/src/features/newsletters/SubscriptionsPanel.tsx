// A contact's standing on every mailing list, with opt-out and opt back in per list: for the
// contact profile and the members' portal (a member may change only their own; the gateway
// checks that, the panel only shows what the caller's role allows).
import { useState } from "react";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { codeLabel } from "./labels";
import { useContactSubscriptions, useOptIn, useOptOut, type ContactSubscription } from "./newslettersApi";
import "./newsletters.css";

export function SubscriptionsPanel({ contactId }: { contactId: string }) {
  const { t, date } = useI18n();
  const { can } = useAuth();
  const subscriptions = useContactSubscriptions(contactId);
  const optOut = useOptOut(contactId);
  const optIn = useOptIn(contactId);
  const [notice, setNotice] = useState<string | null>(null);
  const mayOptOut = can("POST", "/newsletters/contacts/{contact_id}/opt-outs");
  const mayOptIn = can("DELETE", "/newsletters/contacts/{contact_id}/opt-outs/{list_id}");

  if (subscriptions.isPending) return <Loading />;
  if (!subscriptions.data) return <ProblemAlert error={subscriptions.error} />;
  const rows = subscriptions.data.items;

  const state = (s: ContactSubscription) => {
    if (s.opted_out) return <span className="badge badge-danger">{t("newsletters.subscriptions.optedOut")}</span>;
    if (s.active) return <span className="badge badge-ok">{t("newsletters.subscriptions.active")}</span>;
    return <span className="badge">{t("newsletters.subscriptions.inactive")}</span>;
  };
  const how = (s: ContactSubscription) =>
    [
      s.via_group ? t("newsletters.subscriptions.viaGroup") : null,
      s.manual ? t("newsletters.subscriptions.manual") : null,
    ]
      .filter(Boolean)
      .join(", ") || "—";
  const since = (s: ContactSubscription) => {
    if (s.active) return date(s.started_at);
    if (s.ended_at) {
      const reason = s.end_reason ? ` (${codeLabel(t, "endReason", s.end_reason)})` : "";
      return `${t("newsletters.subscriptions.endedOn", { date: date(s.ended_at) })}${reason}`;
    }
    return "—";
  };

  const error = optOut.error ?? optIn.error;
  return (
    <div className="nl-subscriptions">
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      <ProblemAlert error={error} />
      {rows.length === 0 ? (
        <p>{t("newsletters.subscriptions.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{t("newsletters.subscriptions.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("newsletters.subscriptions.list")}</th>
                <th scope="col">{t("newsletters.subscriptions.state")}</th>
                <th scope="col">{t("newsletters.subscriptions.how")}</th>
                <th scope="col">{t("newsletters.subscriptions.since")}</th>
                {mayOptOut || mayOptIn ? <th scope="col">{t("newsletters.subscriptions.choice")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.subscription_id}>
                  <td>{s.list_name}</td>
                  <td>{state(s)}</td>
                  <td>{how(s)}</td>
                  <td>{since(s)}</td>
                  {mayOptOut || mayOptIn ? (
                    <td>
                      {s.opted_out && mayOptIn ? (
                        <button
                          type="button"
                          className="btn"
                          disabled={optIn.isPending}
                          onClick={() =>
                            optIn.mutate(s.list_id, {
                              onSuccess: () => setNotice(t("newsletters.subscriptions.optedIn", { list: s.list_name })),
                            })
                          }
                        >
                          {t("newsletters.subscriptions.optIn")}
                          <span className="visually-hidden"> {s.list_name}</span>
                        </button>
                      ) : null}
                      {!s.opted_out && mayOptOut ? (
                        <button
                          type="button"
                          className="btn"
                          disabled={optOut.isPending}
                          onClick={() =>
                            optOut.mutate(s.list_id, {
                              onSuccess: () =>
                                setNotice(t("newsletters.subscriptions.optedOutNotice", { list: s.list_name })),
                            })
                          }
                        >
                          {t("newsletters.subscriptions.optOut")}
                          <span className="visually-hidden"> {s.list_name}</span>
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
