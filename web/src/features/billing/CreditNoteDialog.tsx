// Issues a credit note for the whole invoice or for an amount, with the Idempotency-Key of
// the dialog's opening (a repeat answers the same credit note).
import { useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useCreditInvoice, type Invoice } from "./billingApi";

interface CreditNoteDialogProps {
  invoice: Invoice;
  idempotencyKey: string | null;
  onClose: () => void;
  onDone: (creditNote: Invoice) => void;
}

export function CreditNoteDialog(props: CreditNoteDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog
      open={props.idempotencyKey !== null}
      title={t("billing.credit.title")}
      onClose={props.onClose}
    >
      {props.idempotencyKey ? (
        <CreditNoteForm key={props.idempotencyKey} {...props} idempotencyKey={props.idempotencyKey} />
      ) : null}
    </Dialog>
  );
}

function CreditNoteForm({
  invoice,
  idempotencyKey,
  onClose,
  onDone,
}: CreditNoteDialogProps & { idempotencyKey: string }) {
  const { t } = useI18n();
  const credit = useCreditInvoice(invoice.id);
  const [reason, setReason] = useState("");
  const [whole, setWhole] = useState(true);
  const [description, setDescription] = useState("");
  const [amount, setAmount] = useState("");
  const [vatRate, setVatRate] = useState("0");
  const errors = credit.error instanceof ApiError ? credit.error.fieldErrors() : {};
  const lineError = (field: string) => errors[`lines.0.${field}`];
  const shownAtFields = Boolean(
    errors.reason || lineError("description") || lineError("unit_price") || lineError("vat_rate"),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lines = whole
      ? null
      : [
          {
            description: description.trim(),
            quantity: "1",
            unit_price: amount.trim().replace(",", "."),
            vat_rate: vatRate.trim().replace(",", ".") || "0",
          },
        ];
    credit.mutate({ credit: { reason: reason.trim(), lines }, key: idempotencyKey }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} noValidate>
      {credit.error && !shownAtFields ? <ProblemAlert error={credit.error} /> : null}
      <Field label={t("billing.credit.reason")} error={errors.reason} required>
        {(control) => (
          <input
            {...control}
            value={reason}
            maxLength={200}
            autoComplete="off"
            onChange={(event) => setReason(event.target.value)}
          />
        )}
      </Field>
      <fieldset className="choice">
        <legend>{t("billing.credit.what")}</legend>
        <label>
          <input type="radio" name="credit-what" checked={whole} onChange={() => setWhole(true)} />{" "}
          {t("billing.credit.whole")}
        </label>
        <label>
          <input type="radio" name="credit-what" checked={!whole} onChange={() => setWhole(false)} />{" "}
          {t("billing.credit.part")}
        </label>
      </fieldset>
      {whole ? null : (
        <div className="form-grid">
          <Field label={t("billing.line.description")} error={lineError("description")} required>
            {(control) => (
              <input
                {...control}
                value={description}
                maxLength={200}
                onChange={(event) => setDescription(event.target.value)}
              />
            )}
          </Field>
          <Field label={t("billing.credit.amount")} error={lineError("unit_price")} required>
            {(control) => (
              <input
                {...control}
                inputMode="decimal"
                value={amount}
                onChange={(event) => setAmount(event.target.value)}
              />
            )}
          </Field>
          <Field label={t("billing.line.vatRate")} error={lineError("vat_rate")}>
            {(control) => (
              <input
                {...control}
                inputMode="decimal"
                value={vatRate}
                onChange={(event) => setVatRate(event.target.value)}
              />
            )}
          </Field>
        </div>
      )}
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={credit.isPending || !reason.trim() || (!whole && (!description.trim() || !amount.trim()))}
        >
          {credit.isPending ? t("common.saving") : t("billing.credit.submit")}
        </button>
      </div>
    </form>
  );
}
