// My invoices and credit notes, newest first as billing lists them: paid or open (and late),
// the amounts, and each one's PDF. Paged on the server, the page in the URL.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";

import { download } from "../../api/client";
import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { useMyContactId, useMyInvoices, type InvoiceSummary } from "./portalApi";
import "./portal.css";

type Standing = "paid" | "open" | "overdue" | "credited" | "draft" | "creditNote";

const STANDING: Record<Standing, { label: MessageKey; badge: string }> = {
  paid: { label: "portal.invoices.paid", badge: "badge badge-ok" },
  open: { label: "portal.invoices.open", badge: "badge badge-warn" },
  overdue: { label: "portal.invoices.overdue", badge: "badge badge-danger" },
  credited: { label: "portal.invoices.credited", badge: "badge" },
  draft: { label: "portal.invoices.draft", badge: "badge" },
  creditNote: { label: "portal.invoices.creditNote", badge: "badge" },
};

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function standingOf(invoice: InvoiceSummary): Standing {
  if (invoice.kind === "credit_note") return "creditNote";
  if (invoice.status === "draft") return "draft";
  if (invoice.status === "paid") return "paid";
  if (invoice.status === "credited") return "credited";
  if (invoice.due_date !== null && invoice.due_date < today() && Number(invoice.open_amount) > 0) {
    return "overdue";
  }
  return "open";
}

export default function MyInvoicesPage() {
  const { t } = useI18n();
  const params = useListParams();
  const invoices = useMyInvoices(useMyContactId(), params.offset, params.pageSize);
  const [pdfError, setPdfError] = useState<unknown>(null);
  const columns = useColumns(setPdfError);
  return (
    <Page title={t("portal.nav.invoices")}>
      {invoices.isPending ? <Loading /> : null}
      <ProblemAlert error={invoices.error} />
      <ProblemAlert error={pdfError} />
      {invoices.data ? (
        <DataTable
          columns={columns}
          rows={invoices.data.items}
          total={invoices.data.total}
          params={params}
          caption={t("portal.invoices.caption")}
          busy={invoices.isFetching}
        />
      ) : null}
    </Page>
  );
}

function useColumns(onPdfError: (error: unknown) => void): ColumnDef<InvoiceSummary, unknown>[] {
  const { t, date, money } = useI18n();
  return useMemo<ColumnDef<InvoiceSummary, unknown>[]>(
    () => [
      {
        id: "number",
        header: t("portal.invoices.number"),
        cell: ({ row }) => row.original.number ?? "—",
      },
      {
        id: "issue_date",
        header: t("portal.invoices.date"),
        cell: ({ row }) => date(row.original.issue_date) || "—",
      },
      {
        id: "due_date",
        header: t("portal.invoices.due"),
        cell: ({ row }) => date(row.original.due_date) || "—",
      },
      {
        id: "total",
        header: t("portal.invoices.total"),
        cell: ({ row }) => money(row.original.total, row.original.currency),
      },
      {
        id: "open_amount",
        header: t("portal.invoices.toPay"),
        cell: ({ row }) =>
          row.original.kind === "invoice" && row.original.status !== "draft"
            ? money(row.original.open_amount, row.original.currency)
            : "—",
      },
      {
        id: "standing",
        header: t("portal.invoices.state"),
        cell: ({ row }) => {
          const standing = STANDING[standingOf(row.original)];
          return <span className={standing.badge}>{t(standing.label)}</span>;
        },
      },
      {
        id: "pdf",
        header: () => <span className="visually-hidden">{t("portal.invoices.document")}</span>,
        cell: ({ row }) =>
          row.original.status === "draft" ? null : (
            <PdfButton invoice={row.original} onError={onPdfError} />
          ),
      },
    ],
    [t, date, money, onPdfError],
  );
}

function PdfButton({ invoice, onError }: { invoice: InvoiceSummary; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const name = invoice.number ?? invoice.id;
  const fetchPdf = async () => {
    setBusy(true);
    onError(null);
    try {
      await download(`/api/v1/billing/invoices/${invoice.id}/pdf`, `${name}.pdf`);
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="btn"
      disabled={busy}
      aria-label={t("portal.invoices.pdfOf", { number: name })}
      onClick={() => void fetchPdf()}
    >
      {t("portal.invoices.pdf")}
    </button>
  );
}
