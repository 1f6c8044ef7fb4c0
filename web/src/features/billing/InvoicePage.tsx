// /invoices/:invoiceId — one invoice or credit note: what it says, and what the treasurer may
// do with it (edit or delete a draft, issue, e-mail, PDF, register a payment, credit it).
import { useState } from "react";
import { useNavigate, useParams } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import {
  downloadInvoicePdf,
  useDeleteDraft,
  useInvoice,
  useIssueInvoice,
  useSendInvoice,
  type Invoice,
} from "./billingApi";
import { CreditNoteDialog } from "./CreditNoteDialog";
import { DraftEditDialog } from "./DraftEditDialog";
import {
  InvoiceCreditNotes,
  InvoiceFacts,
  InvoiceLines,
  InvoicePayments,
  InvoiceTotals,
} from "./InvoiceDetails";
import { InvoiceStatusBadge } from "./InvoiceStatusBadge";
import { newIdempotencyKey } from "./labels";
import { PaymentDialog } from "./PaymentDialog";
import { PaymentSection } from "./PaymentSection";
import { InvoiceReminders } from "../reminders/InvoiceReminders";
import "./billing.css";

export default function InvoicePage() {
  const { invoiceId = "" } = useParams();
  const { t } = useI18n();
  const query = useInvoice(invoiceId);
  if (query.isPending) {
    return (
      <Page title={t("billing.invoice.title")}>
        <Loading />
      </Page>
    );
  }
  if (!query.data) {
    return (
      <Page title={t("billing.invoice.title")}>
        <ProblemAlert error={query.error} />
      </Page>
    );
  }
  return (
    <InvoiceView
      key={query.data.invoice.id}
      invoice={query.data.invoice}
      etag={query.data.etag}
      reload={() => void query.refetch()}
    />
  );
}

function invoiceTitle(invoice: Invoice, t: ReturnType<typeof useI18n>["t"]) {
  if (invoice.status === "draft") return t("billing.invoice.draftTitle");
  return invoice.kind === "credit_note"
    ? t("billing.invoice.creditNoteTitle", { number: invoice.number ?? "" })
    : t("billing.invoice.numberTitle", { number: invoice.number ?? "" });
}

type Confirming = "issue" | "send" | "delete" | null;

function InvoiceView({ invoice, etag, reload }: { invoice: Invoice; etag: string; reload: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [paymentKey, setPaymentKey] = useState<string | null>(null);
  const [creditKey, setCreditKey] = useState<string | null>(null);
  const [pdfError, setPdfError] = useState<unknown>(null);
  const [pdfBusy, setPdfBusy] = useState(false);
  const issue = useIssueInvoice(invoice.id);
  const send = useSendInvoice(invoice.id);
  const remove = useDeleteDraft(invoice.id);

  const isDraft = invoice.status === "draft";
  const isInvoice = invoice.kind === "invoice";
  const payable = !isDraft && isInvoice && invoice.status !== "credited";
  const creditable = !isDraft && isInvoice && Number(invoice.total) > Number(invoice.credited_amount);
  const may = (method: "POST" | "PATCH" | "DELETE" | "GET", suffix = "") =>
    can(method, `/billing/invoices/{invoice_id}${suffix}`);

  const pdf = async () => {
    setPdfError(null);
    setPdfBusy(true);
    try {
      await downloadInvoicePdf(invoice);
    } catch (error) {
      setPdfError(error);
    } finally {
      setPdfBusy(false);
    }
  };

  const confirmAction = () => {
    const done = (message: string) => () => {
      setConfirming(null);
      setNotice(message);
    };
    if (confirming === "issue") issue.mutate(undefined, { onSuccess: done(t("billing.notice.issued")) });
    if (confirming === "send") {
      send.mutate(undefined, {
        onSuccess: (answer) => {
          setConfirming(null);
          setNotice(t("billing.notice.sent", { email: answer.recipient }));
        },
      });
    }
    if (confirming === "delete") {
      remove.mutate(etag, { onSuccess: () => void navigate("/invoices", { replace: true }) });
    }
  };
  const pending = { issue, send, delete: remove }[confirming ?? "issue"];

  return (
    <Page
      title={invoiceTitle(invoice, t)}
      actions={
        <>
          {isDraft && may("PATCH") ? (
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              {t("billing.action.edit")}
            </button>
          ) : null}
          {isDraft && may("DELETE") ? (
            <button type="button" className="btn" onClick={() => setConfirming("delete")}>
              {t("billing.action.delete")}
            </button>
          ) : null}
          {isDraft && may("POST", "/issue") ? (
            <button type="button" className="btn btn-primary" onClick={() => setConfirming("issue")}>
              {t("billing.action.issue")}
            </button>
          ) : null}
          {!isDraft && may("GET", "/pdf") ? (
            <button type="button" className="btn" disabled={pdfBusy} onClick={() => void pdf()}>
              {t("billing.action.pdf")}
            </button>
          ) : null}
          {!isDraft && may("POST", "/send") ? (
            <button type="button" className="btn" onClick={() => setConfirming("send")}>
              {t("billing.action.send")}
            </button>
          ) : null}
          {payable && may("POST", "/payments") ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setPaymentKey(newIdempotencyKey())}
            >
              {t("billing.action.pay")}
            </button>
          ) : null}
          {creditable && may("POST", "/credit-notes") ? (
            <button type="button" className="btn" onClick={() => setCreditKey(newIdempotencyKey())}>
              {t("billing.action.credit")}
            </button>
          ) : null}
        </>
      }
    >
      <p className="invoice-status">
        <InvoiceStatusBadge invoice={invoice} />
      </p>
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      <ProblemAlert error={pdfError} />
      <div className="invoice-layout">
        <section className="card" aria-labelledby="invoice-facts">
          <h2 id="invoice-facts">{t("billing.invoice.details")}</h2>
          <InvoiceFacts invoice={invoice} />
        </section>
        <section className="card" aria-labelledby="invoice-totals">
          <h2 id="invoice-totals">{t("billing.invoice.totals")}</h2>
          <InvoiceTotals invoice={invoice} />
        </section>
      </div>
      <section className="card" aria-labelledby="invoice-lines">
        <h2 id="invoice-lines">{t("billing.invoice.lines")}</h2>
        <InvoiceLines invoice={invoice} />
      </section>
      {isInvoice && !isDraft ? (
        <>
          {may("GET", "/payment-instructions") ? <PaymentSection invoiceId={invoice.id} /> : null}
          <section className="card" aria-labelledby="invoice-payments">
            <h2 id="invoice-payments">{t("billing.payments.title")}</h2>
            <InvoicePayments invoice={invoice} />
          </section>
          <section className="card" aria-labelledby="invoice-credits">
            <h2 id="invoice-credits">{t("billing.credits.title")}</h2>
            <InvoiceCreditNotes invoice={invoice} />
          </section>
          {may("GET", "/reminders") ? <InvoiceReminders invoiceId={invoice.id} /> : null}
        </>
      ) : null}

      {isDraft ? (
        <DraftEditDialog
          invoice={invoice}
          etag={etag}
          open={editing}
          onClose={() => setEditing(false)}
          onReload={reload}
        />
      ) : null}
      <PaymentDialog
        invoice={invoice}
        idempotencyKey={paymentKey}
        onClose={() => setPaymentKey(null)}
        onDone={() => {
          setPaymentKey(null);
          setNotice(t("billing.notice.paid"));
        }}
      />
      <CreditNoteDialog
        invoice={invoice}
        idempotencyKey={creditKey}
        onClose={() => setCreditKey(null)}
        onDone={(note) => {
          setCreditKey(null);
          setNotice(t("billing.notice.credited", { number: note.number ?? "" }));
        }}
      />
      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? t(`billing.confirm.${confirming}.title`) : ""}
        message={
          <>
            <p>
              {confirming === "send"
                ? t("billing.confirm.send.body", { email: invoice.billing_email ?? "—" })
                : confirming
                  ? t(`billing.confirm.${confirming}.body`)
                  : null}
            </p>
            <ProblemAlert error={pending.error} />
          </>
        }
        confirmLabel={confirming ? t(`billing.confirm.${confirming}.submit`) : ""}
        danger={confirming === "delete"}
        busy={pending.isPending}
        onConfirm={confirmAction}
        onCancel={() => {
          issue.reset();
          send.reset();
          remove.reset();
          setConfirming(null);
        }}
      />
    </Page>
  );
}
