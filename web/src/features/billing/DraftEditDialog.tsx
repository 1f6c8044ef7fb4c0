// Edits a draft: its lines, due day and note, sent with If-Match (the ETag it was loaded
// with). When someone changed the draft meanwhile (412), the form offers the current one.
import { useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useUpdateDraft, type Invoice } from "./billingApi";

interface LineDraft {
  description: string;
  quantity: string;
  unit_price: string;
  vat_rate: string;
}

interface DraftEditDialogProps {
  invoice: Invoice;
  etag: string;
  open: boolean;
  onClose: () => void;
  onReload: () => void;
}

export function DraftEditDialog(props: DraftEditDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog open={props.open} title={t("billing.draft.title")} onClose={props.onClose} wide>
      {props.open ? <DraftForm key={props.etag} {...props} /> : null}
    </Dialog>
  );
}

const decimal = (value: string) => value.trim().replace(",", ".");

function DraftForm({ invoice, etag, onClose, onReload }: DraftEditDialogProps) {
  const { t } = useI18n();
  const update = useUpdateDraft(invoice.id);
  const [lines, setLines] = useState<LineDraft[]>(() =>
    invoice.lines.map((line) => ({
      description: line.description,
      quantity: line.quantity,
      unit_price: line.unit_price,
      vat_rate: line.vat_rate,
    })),
  );
  const [dueDate, setDueDate] = useState(invoice.due_date ?? "");
  const [note, setNote] = useState(invoice.note);
  const errors = update.error instanceof ApiError ? update.error.fieldErrors() : {};
  const stale = update.error instanceof ApiError && update.error.status === 412;

  const setLine = (index: number, field: keyof LineDraft, value: string) =>
    setLines((current) =>
      current.map((line, i) => (i === index ? { ...line, [field]: value } : line)),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      {
        etag,
        change: {
          lines: lines.map((line) => ({
            description: line.description.trim(),
            quantity: decimal(line.quantity) || "1",
            unit_price: decimal(line.unit_price),
            vat_rate: decimal(line.vat_rate) || "0",
          })),
          due_date: dueDate || null,
          note,
        },
      },
      { onSuccess: onClose },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      {update.error && !Object.keys(errors).length ? <ProblemAlert error={update.error} /> : null}
      {stale ? (
        <p>
          <button type="button" className="btn" onClick={onReload}>
            {t("billing.draft.reload")}
          </button>
        </p>
      ) : null}
      <fieldset className="lines-editor">
        <legend>{t("billing.invoice.lines")}</legend>
        {lines.map((line, index) => (
          <div className="line-row" key={index}>
            <Field
              label={t("billing.line.descriptionOf", { n: index + 1 })}
              error={errors[`lines.${index}.description`]}
            >
              {(control) => (
                <input
                  {...control}
                  value={line.description}
                  maxLength={200}
                  onChange={(event) => setLine(index, "description", event.target.value)}
                />
              )}
            </Field>
            <Field label={t("billing.line.quantity")} error={errors[`lines.${index}.quantity`]}>
              {(control) => (
                <input
                  {...control}
                  inputMode="decimal"
                  value={line.quantity}
                  onChange={(event) => setLine(index, "quantity", event.target.value)}
                />
              )}
            </Field>
            <Field label={t("billing.line.unitPrice")} error={errors[`lines.${index}.unit_price`]}>
              {(control) => (
                <input
                  {...control}
                  inputMode="decimal"
                  value={line.unit_price}
                  onChange={(event) => setLine(index, "unit_price", event.target.value)}
                />
              )}
            </Field>
            <Field label={t("billing.line.vatRate")} error={errors[`lines.${index}.vat_rate`]}>
              {(control) => (
                <input
                  {...control}
                  inputMode="decimal"
                  value={line.vat_rate}
                  onChange={(event) => setLine(index, "vat_rate", event.target.value)}
                />
              )}
            </Field>
            <button
              type="button"
              className="btn line-remove"
              disabled={lines.length <= 1}
              onClick={() => setLines((current) => current.filter((_, i) => i !== index))}
            >
              {t("billing.line.remove", { n: index + 1 })}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="btn"
          onClick={() =>
            setLines((current) => [
              ...current,
              { description: "", quantity: "1", unit_price: "", vat_rate: "0" },
            ])
          }
        >
          {t("billing.line.add")}
        </button>
        {errors.lines ? <p className="field-error">{errors.lines}</p> : null}
      </fieldset>
      <div className="form-grid">
        <Field label={t("billing.invoice.dueDate")} error={errors.due_date}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={dueDate}
              onChange={(event) => setDueDate(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("billing.invoice.note")} error={errors.note}>
          {(control) => (
            <textarea
              {...control}
              value={note}
              rows={2}
              onChange={(event) => setNote(event.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" disabled={update.isPending}>
          {update.isPending ? t("common.saving") : t("common.save")}
        </button>
      </div>
    </form>
  );
}
