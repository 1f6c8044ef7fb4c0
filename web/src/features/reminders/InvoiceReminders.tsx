// The reminder history on the invoice page: level, status, when, to whom.
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import { STATUS_BADGES } from "./statusBadges";
import { useInvoiceReminders } from "./remindersApi";
import "./reminders.css";

export function InvoiceReminders({ invoiceId }: { invoiceId: string }) {
  const { t, dateTime } = useI18n();
  const reminders = useInvoiceReminders(invoiceId);
  const items = reminders.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="invoice-reminders">
      <h2 id="invoice-reminders">{t("reminders.history.title")}</h2>
      <ProblemAlert error={reminders.error} />
      {items.length === 0 ? (
        <p>{t("reminders.history.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{t("reminders.history.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("reminders.level")}</th>
                <th scope="col">{t("reminders.status")}</th>
                <th scope="col">{t("reminders.sentAt")}</th>
                <th scope="col">{t("reminders.sentTo")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((reminder) => (
                <tr key={reminder.id}>
                  <td>{t("reminders.levelN", { level: reminder.level })}</td>
                  <td>
                    <span className={STATUS_BADGES[reminder.status] ?? "badge"}>
                      {t(`reminders.statuses.${reminder.status}`)}
                    </span>
                    {reminder.reason ? <span className="rm-reason">{reminder.reason}</span> : null}
                  </td>
                  <td>{reminder.sent_at ? dateTime(reminder.sent_at) : ""}</td>
                  <td>{reminder.sent_to ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
