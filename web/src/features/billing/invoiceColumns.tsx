// The columns of an invoice list, shared by the invoices page and a contact's invoices panel.
import type { ColumnDef } from "@tanstack/react-table";
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import type { InvoiceSummary } from "./billingApi";
import { InvoiceStatusBadge } from "./InvoiceStatusBadge";

export function InvoiceNumberLink({ invoice }: { invoice: InvoiceSummary }) {
  const { t } = useI18n();
  const label = invoice.number ?? t("billing.invoice.draftNumber");
  return (
    <Link to={`/invoices/${invoice.id}`}>
      {invoice.kind === "credit_note" ? t("billing.invoice.creditNoteNumber", { number: label }) : label}
    </Link>
  );
}

export function useInvoiceColumns(withContact: boolean): ColumnDef<InvoiceSummary, unknown>[] {
  const { t, date, money } = useI18n();
  const columns: (ColumnDef<InvoiceSummary, unknown> | null)[] = [
    {
      id: "number",
      header: t("billing.invoice.number"),
      cell: ({ row }) => <InvoiceNumberLink invoice={row.original} />,
    },
    withContact
      ? {
          id: "billing_name",
          header: t("billing.invoice.contact"),
          // A draft has no addressee yet: its contact is only an id.
          cell: ({ row }) => (
            <Link to={`/contacts/${row.original.contact_id}`}>
              {row.original.billing_name || t("billing.invoice.contactLink")}
            </Link>
          ),
        }
      : null,
    {
      id: "issue_date",
      header: t("billing.invoice.issueDate"),
      cell: ({ row }) => date(row.original.issue_date),
    },
    {
      id: "due_date",
      header: t("billing.invoice.dueDate"),
      cell: ({ row }) => date(row.original.due_date),
    },
    {
      id: "total",
      header: t("billing.invoice.total"),
      cell: ({ row }) => (
        <span className="amount">{money(row.original.total, row.original.currency)}</span>
      ),
    },
    {
      id: "open_amount",
      header: t("billing.invoice.open"),
      cell: ({ row }) => (
        <span className="amount">{money(row.original.open_amount, row.original.currency)}</span>
      ),
    },
    {
      id: "status",
      header: t("billing.invoice.status"),
      cell: ({ row }) => <InvoiceStatusBadge invoice={row.original} />,
    },
  ];
  return columns.filter((column) => column !== null);
}
