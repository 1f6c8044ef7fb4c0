// A fee version's fields (amount, first day, currency): a new type's first fee and every later one.
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";

export interface FeeDraft {
  amount: string;
  valid_from: string;
  currency: string;
}

/** "12,50" as a Belgian types it, sent as "12.50". */
export function amountOf(text: string): string {
  return text.trim().replace(/\s/g, "").replace(",", ".");
}

interface FeeFieldsProps {
  fee: FeeDraft;
  onChange: (fee: FeeDraft) => void;
  errors: Record<string, string>;
  /** Where the API reports these fields: "fee." inside a new type, "" for a fee version. */
  prefix: string;
  minDate?: string | undefined;
  hint?: string | undefined;
}

export function FeeFields({ fee, onChange, errors, prefix, minDate, hint }: FeeFieldsProps) {
  const { t } = useI18n();
  return (
    <div className="form-grid">
      <Field label={t("memberships.fee.amount")} error={errors[`${prefix}amount`]} required>
        {(control) => (
          <input
            {...control}
            inputMode="decimal"
            required
            value={fee.amount}
            onChange={(event) => onChange({ ...fee, amount: event.target.value })}
          />
        )}
      </Field>
      <Field
        label={t("memberships.fee.validFrom")}
        error={errors[`${prefix}valid_from`]}
        hint={hint}
        required
      >
        {(control) => (
          <input
            {...control}
            type="date"
            required
            min={minDate}
            value={fee.valid_from}
            onChange={(event) => onChange({ ...fee, valid_from: event.target.value })}
          />
        )}
      </Field>
      <Field label={t("memberships.fee.currency")} error={errors[`${prefix}currency`]}>
        {(control) => (
          <input
            {...control}
            maxLength={3}
            value={fee.currency}
            onChange={(event) => onChange({ ...fee, currency: event.target.value.toUpperCase() })}
          />
        )}
      </Field>
    </div>
  );
}
