// How to pay an issued invoice by bank transfer: the amount open, the account, the payment
// reference as the PDF prints it, and the EPC QR code a banking app scans.
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import { usePaymentInstructions } from "./billingApi";

export function PaymentSection({ invoiceId }: { invoiceId: string }) {
  const { t, money } = useI18n();
  const query = usePaymentInstructions(invoiceId, true);
  const payment = query.data;
  return (
    <section className="card" aria-labelledby="invoice-pay">
      <h2 id="invoice-pay">{t("billing.pay.title")}</h2>
      <ProblemAlert error={query.error} />
      {payment ? (
        <div className="pay-by-bank">
          <dl className="facts">
            <dt>{t("billing.pay.amount")}</dt>
            <dd>{money(payment.amount, payment.currency)}</dd>
            <dt>{t("billing.pay.account")}</dt>
            <dd className="iban">
              {payment.iban}
              {payment.bic ? ` (BIC ${payment.bic})` : ""}
            </dd>
            <dt>{t("billing.pay.reference")}</dt>
            <dd className="payment-reference" data-testid="payment-reference">
              {payment.reference ?? "—"}
            </dd>
          </dl>
          {payment.qr_code ? (
            <figure className="pay-qr">
              <img src={payment.qr_code} alt={t("billing.pay.qrAlt")} width={160} height={160} />
              <figcaption>{t("billing.pay.scan")}</figcaption>
            </figure>
          ) : (
            <p className="muted">{t("billing.pay.noQr")}</p>
          )}
        </div>
      ) : null}
    </section>
  );
}
