// An invoice's status as a coloured badge, and "overdue" when it is open past its due day.
import { useI18n } from "../../i18n/i18n";
import type { InvoiceSummary } from "./billingApi";
import { codeLabel, isoToday } from "./labels";

const TONE: Record<InvoiceSummary["status"], string> = {
  draft: "badge",
  issued: "badge badge-warn",
  partly_paid: "badge badge-warn",
  paid: "badge badge-ok",
  credited: "badge",
};

export function isOverdue(invoice: Pick<InvoiceSummary, "status" | "due_date" | "open_amount">) {
  return (
    (invoice.status === "issued" || invoice.status === "partly_paid") &&
    Number(invoice.open_amount) > 0 &&
    invoice.due_date !== null &&
    invoice.due_date < isoToday()
  );
}

export function InvoiceStatusBadge({ invoice }: { invoice: InvoiceSummary }) {
  const { t } = useI18n();
  return (
    <span className="badges">
      <span className={TONE[invoice.status]}>{codeLabel(t, "status", invoice.status)}</span>
      {isOverdue(invoice) ? (
        <span className="badge badge-danger">{t("billing.status.overdue")}</span>
      ) : null}
    </span>
  );
}
