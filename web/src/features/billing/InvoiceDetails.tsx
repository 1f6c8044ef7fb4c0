// What an invoice says: addressee and dates, lines, totals, payments and credit notes.
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { useInvoice, type Invoice } from "./billingApi";
import { codeLabel } from "./labels";

export function InvoiceFacts({ invoice }: { invoice: Invoice }) {
  const { t, date, dateTime } = useI18n();
  return (
    <dl className="facts">
      <dt>{t("billing.invoice.contact")}</dt>
      <dd>
        <Link to={`/contacts/${invoice.contact_id}`}>
          {invoice.billing_name || t("billing.invoice.contactLink")}
        </Link>
        {invoice.billing_address ? <span className="address">{invoice.billing_address}</span> : null}
        {invoice.billing_email ? <span>{invoice.billing_email}</span> : null}
      </dd>
      <dt>{t("billing.invoice.issueDate")}</dt>
      <dd>{invoice.issue_date ? date(invoice.issue_date) : "—"}</dd>
      <dt>{t("billing.invoice.dueDate")}</dt>
      <dd>{invoice.due_date ? date(invoice.due_date) : "—"}</dd>
      {invoice.period_start ? (
        <>
          <dt>{t("billing.invoice.period")}</dt>
          <dd>
            {date(invoice.period_start)} – {date(invoice.period_end)}
          </dd>
        </>
      ) : null}
      <dt>{t("billing.invoice.source")}</dt>
      <dd>
        {codeLabel(t, "source", invoice.source)}
        {invoice.run_id ? (
          <>
            {" · "}
            <Link to={`/contribution-runs/${invoice.run_id}`}>{t("billing.invoice.run")}</Link>
          </>
        ) : null}
      </dd>
      {invoice.credits_invoice_id ? (
        <>
          <dt>{t("billing.invoice.credits")}</dt>
          <dd>
            <Link to={`/invoices/${invoice.credits_invoice_id}`}>
              {t("billing.invoice.creditedInvoice")}
            </Link>
          </dd>
        </>
      ) : null}
      {invoice.sent_at ? (
        <>
          <dt>{t("billing.invoice.sentAt")}</dt>
          <dd>{dateTime(invoice.sent_at)}</dd>
        </>
      ) : null}
      {invoice.submitted_for_collection_at ? (
        <>
          <dt>{t("billing.invoice.collectedAt")}</dt>
          <dd>{dateTime(invoice.submitted_for_collection_at)}</dd>
        </>
      ) : null}
      {invoice.note ? (
        <>
          <dt>{t("billing.invoice.note")}</dt>
          <dd className="note">{invoice.note}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function InvoiceLines({ invoice }: { invoice: Invoice }) {
  const { t, money, number } = useI18n();
  const cur = invoice.currency;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{t("billing.invoice.lines")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("billing.line.description")}</th>
            <th scope="col" className="num">{t("billing.line.quantity")}</th>
            <th scope="col" className="num">{t("billing.line.unitPrice")}</th>
            <th scope="col" className="num">{t("billing.line.vatRate")}</th>
            <th scope="col" className="num">{t("billing.line.net")}</th>
            <th scope="col" className="num">{t("billing.line.vat")}</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((line) => (
            <tr key={line.position}>
              <td>{line.description}</td>
              <td className="num">{number(Number(line.quantity))}</td>
              <td className="num">{money(line.unit_price, cur)}</td>
              <td className="num">{number(Number(line.vat_rate))} %</td>
              <td className="num">{money(line.net_amount, cur)}</td>
              <td className="num">{money(line.vat_amount, cur)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function InvoiceTotals({ invoice }: { invoice: Invoice }) {
  const { t, money } = useI18n();
  const cur = invoice.currency;
  const rows: [string, string, boolean?][] = [
    [t("billing.invoice.totalNet"), invoice.total_net],
    [t("billing.invoice.totalVat"), invoice.total_vat],
    [t("billing.invoice.total"), invoice.total, true],
    [t("billing.invoice.paid"), invoice.paid_amount],
    [t("billing.invoice.credited"), invoice.credited_amount],
    [t("billing.invoice.open"), invoice.open_amount, true],
  ];
  if (Number(invoice.credit_balance) > 0) {
    rows.push([t("billing.invoice.creditBalance"), invoice.credit_balance]);
  }
  return (
    <dl className="totals">
      {rows.map(([label, value, strong]) => (
        <div key={label} className={strong ? "total-strong" : undefined}>
          <dt>{label}</dt>
          <dd>{money(value, cur)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function InvoicePayments({ invoice }: { invoice: Invoice }) {
  const { t, money, date } = useI18n();
  if (invoice.payments.length === 0) return <p className="muted">{t("billing.payments.none")}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{t("billing.payments.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("billing.payment.paidOn")}</th>
            <th scope="col" className="num">{t("billing.payment.amount")}</th>
            <th scope="col">{t("billing.payment.method")}</th>
            <th scope="col">{t("billing.payment.reference")}</th>
          </tr>
        </thead>
        <tbody>
          {invoice.payments.map((payment) => (
            <tr key={payment.id} className={payment.reversed_on ? "reversed" : undefined}>
              <td>{date(payment.paid_on)}</td>
              <td className="num">{money(payment.amount, invoice.currency)}</td>
              <td>
                {codeLabel(t, "method", payment.method)}
                {payment.reversed_on ? (
                  <span className="badge badge-danger">
                    {t("billing.payments.reversed", {
                      date: date(payment.reversed_on),
                      reason: payment.reversal_reason ?? "",
                    })}
                  </span>
                ) : null}
              </td>
              <td>{payment.reference}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function InvoiceCreditNotes({ invoice }: { invoice: Invoice }) {
  const { t } = useI18n();
  if (invoice.credit_note_ids.length === 0) {
    return <p className="muted">{t("billing.credits.none")}</p>;
  }
  return (
    <ul className="plain-list">
      {invoice.credit_note_ids.map((id) => (
        <li key={id}>
          <CreditNoteLink creditNoteId={id} />
        </li>
      ))}
    </ul>
  );
}

/** The invoice names its credit notes by id only: each is fetched for its number and total. */
function CreditNoteLink({ creditNoteId }: { creditNoteId: string }) {
  const { t, money, date } = useI18n();
  const note = useInvoice(creditNoteId).data?.invoice;
  return (
    <Link to={`/invoices/${creditNoteId}`}>
      {note
        ? t("billing.credits.item", {
            number: note.number ?? "",
            date: date(note.issue_date),
            amount: money(note.total, note.currency),
          })
        : t("billing.credits.loading")}
    </Link>
  );
}
