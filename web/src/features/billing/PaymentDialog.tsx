// Registers a payment. The dialog's opening made one Idempotency-Key: every submit of this
// opening (a double click, a retry after a lost answer) books the payment once.
import { useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { PAYMENT_METHODS, useRegisterPayment, type Invoice, type PaymentMethod } from "./billingApi";
import { codeLabel, isoToday } from "./labels";

interface PaymentDialogProps {
  invoice: Invoice;
  /** Set while open: the key of this opening. */
  idempotencyKey: string | null;
  onClose: () => void;
  onDone: () => void;
}

export function PaymentDialog({ invoice, idempotencyKey, onClose, onDone }: PaymentDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog open={idempotencyKey !== null} title={t("billing.payment.title")} onClose={onClose}>
      {idempotencyKey ? (
        <PaymentForm
          key={idempotencyKey}
          invoice={invoice}
          idempotencyKey={idempotencyKey}
          onClose={onClose}
          onDone={onDone}
        />
      ) : null}
    </Dialog>
  );
}

function PaymentForm({
  invoice,
  idempotencyKey,
  onClose,
  onDone,
}: PaymentDialogProps & { idempotencyKey: string }) {
  const { t, money } = useI18n();
  const pay = useRegisterPayment(invoice.id);
  const [amount, setAmount] = useState(
    Number(invoice.open_amount) > 0 ? invoice.open_amount : "",
  );
  const [paidOn, setPaidOn] = useState(isoToday());
  const [method, setMethod] = useState<PaymentMethod>("bank_transfer");
  const [reference, setReference] = useState("");
  const errors = pay.error instanceof ApiError ? pay.error.fieldErrors() : {};
  const shownAtFields = ["amount", "paid_on", "method", "reference"].some((f) => errors[f]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    pay.mutate(
      {
        payment: { amount: amount.trim().replace(",", "."), paid_on: paidOn, method, reference },
        key: idempotencyKey,
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <p>
        {t("billing.payment.openNow", { amount: money(invoice.open_amount, invoice.currency) })}
      </p>
      {pay.error && !shownAtFields ? <ProblemAlert error={pay.error} /> : null}
      <Field label={t("billing.payment.amount")} error={errors.amount} required>
        {(control) => (
          <input
            {...control}
            inputMode="decimal"
            value={amount}
            autoComplete="off"
            onChange={(event) => setAmount(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("billing.payment.paidOn")} error={errors.paid_on} required>
        {(control) => (
          <input
            {...control}
            type="date"
            value={paidOn}
            onChange={(event) => setPaidOn(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("billing.payment.method")} error={errors.method}>
        {(control) => (
          <select
            {...control}
            value={method}
            onChange={(event) => setMethod(event.target.value as PaymentMethod)}
          >
            {PAYMENT_METHODS.map((value) => (
              <option key={value} value={value}>
                {codeLabel(t, "method", value)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("billing.payment.reference")} error={errors.reference}>
        {(control) => (
          <input
            {...control}
            value={reference}
            maxLength={200}
            autoComplete="off"
            onChange={(event) => setReference(event.target.value)}
          />
        )}
      </Field>
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={pay.isPending || !amount.trim() || !paidOn}
        >
          {pay.isPending ? t("common.saving") : t("billing.payment.submit")}
        </button>
      </div>
    </form>
  );
}
