// The fields of a membership type (create and edit share them): name, billing, term, pro rata,
// refund and rights, kept as a draft of strings while typed and turned into the API's body.
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import {
  BILLING_PERIODS,
  RIGHT_PATTERN,
  TERM_KINDS,
  type BillingPeriod,
  type MembershipType,
  type TermKind,
} from "./membershipApi";
import { useMembershipLabels } from "./labels";

export interface TypeDraft {
  name: string;
  description: string;
  billing_period: BillingPeriod;
  period_start_month: string;
  period_start_day: string;
  term_kind: TermKind;
  term_months: string;
  term_end_date: string;
  pro_rata: boolean;
  refund_on_early_end: boolean;
  rights: string;
}

export const EMPTY_DRAFT: TypeDraft = {
  name: "",
  description: "",
  billing_period: "yearly",
  period_start_month: "1",
  period_start_day: "1",
  term_kind: "rolling",
  term_months: "12",
  term_end_date: "",
  pro_rata: false,
  refund_on_early_end: false,
  rights: "",
};

export function draftOf(type: MembershipType): TypeDraft {
  return {
    name: type.name,
    description: type.description,
    billing_period: type.billing_period,
    period_start_month: String(type.period_start_month),
    period_start_day: String(type.period_start_day),
    term_kind: type.term_kind,
    term_months: type.term_months ? String(type.term_months) : "12",
    term_end_date: type.term_end_date ?? "",
    pro_rata: type.pro_rata,
    refund_on_early_end: type.refund_on_early_end,
    rights: type.rights.join(", "),
  };
}

/** Rights typed as a list separated by commas, spaces or new lines. */
export function rightsOf(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** Every field of a type but its fees and archived flag, as a create or a change sends it. */
export interface TypeBody {
  name: string;
  description: string;
  billing_period: BillingPeriod;
  period_start_month: number;
  period_start_day: number;
  term_kind: TermKind;
  term_months: number | null;
  term_end_date: string | null;
  pro_rata: boolean;
  refund_on_early_end: boolean;
  rights: string[];
}

/** The whole type as the API takes it: a term's months or end only with the term that uses it. */
export function bodyOf(draft: TypeDraft): TypeBody {
  return {
    name: draft.name.trim(),
    description: draft.description,
    billing_period: draft.billing_period,
    period_start_month: Number(draft.period_start_month),
    period_start_day: Number(draft.period_start_day),
    term_kind: draft.term_kind,
    term_months: draft.term_kind === "fixed_months" ? Number(draft.term_months) : null,
    term_end_date: draft.term_kind === "fixed_end" ? draft.term_end_date || null : null,
    pro_rata: draft.pro_rata,
    refund_on_early_end: draft.refund_on_early_end,
    rights: rightsOf(draft.rights),
  };
}

interface TypeFieldsProps {
  draft: TypeDraft;
  onChange: (draft: TypeDraft) => void;
  errors: Record<string, string>;
}

export function TypeFields({ draft, onChange, errors }: TypeFieldsProps) {
  const { t, locale } = useI18n();
  const labels = useMembershipLabels();
  const set = <K extends keyof TypeDraft>(key: K, value: TypeDraft[K]) =>
    onChange({ ...draft, [key]: value });
  const monthName = new Intl.DateTimeFormat(locale === "nl" ? "nl-BE" : "en-GB", { month: "long" });
  const badRights = rightsOf(draft.rights).filter((right) => !RIGHT_PATTERN.test(right));
  const rightsError =
    errors.rights ??
    Object.entries(errors).find(([field]) => field.startsWith("rights."))?.[1] ??
    (badRights.length ? t("memberships.type.rightsInvalid", { rights: badRights.join(", ") }) : undefined);

  return (
    <>
      <Field label={t("memberships.type.name")} error={errors.name} required>
        {(control) => (
          <input
            {...control}
            required
            maxLength={200}
            value={draft.name}
            onChange={(event) => set("name", event.target.value)}
          />
        )}
      </Field>
      <Field label={t("memberships.type.description")} error={errors.description}>
        {(control) => (
          <textarea
            {...control}
            rows={2}
            maxLength={2000}
            value={draft.description}
            onChange={(event) => set("description", event.target.value)}
          />
        )}
      </Field>
      <div className="form-grid">
        <Field label={t("memberships.type.billingPeriod")} error={errors.billing_period}>
          {(control) => (
            <select
              {...control}
              value={draft.billing_period}
              onChange={(event) => set("billing_period", event.target.value as BillingPeriod)}
            >
              {BILLING_PERIODS.map((period) => (
                <option key={period} value={period}>
                  {labels.billing(period)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("memberships.type.termKind")} error={errors.term_kind}>
          {(control) => (
            <select
              {...control}
              value={draft.term_kind}
              onChange={(event) => set("term_kind", event.target.value as TermKind)}
            >
              {TERM_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {labels.termKind(kind)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="ms-fieldset">
        <legend>{t("memberships.type.periodStart")}</legend>
        <p className="field-hint">{t("memberships.type.periodStartHint")}</p>
        <div className="form-grid">
          <Field label={t("memberships.type.periodStartDay")} error={errors.period_start_day}>
            {(control) => (
              <input
                {...control}
                type="number"
                min={1}
                max={31}
                required
                value={draft.period_start_day}
                onChange={(event) => set("period_start_day", event.target.value)}
              />
            )}
          </Field>
          <Field label={t("memberships.type.periodStartMonth")} error={errors.period_start_month}>
            {(control) => (
              <select
                {...control}
                value={draft.period_start_month}
                onChange={(event) => set("period_start_month", event.target.value)}
              >
                {Array.from({ length: 12 }, (_, index) => (
                  <option key={index} value={String(index + 1)}>
                    {monthName.format(new Date(2001, index, 1))}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </fieldset>
      {draft.term_kind === "fixed_months" ? (
        <Field label={t("memberships.type.termMonths")} error={errors.term_months} required>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={600}
              required
              value={draft.term_months}
              onChange={(event) => set("term_months", event.target.value)}
            />
          )}
        </Field>
      ) : null}
      {draft.term_kind === "fixed_end" ? (
        <Field label={t("memberships.type.termEndDate")} error={errors.term_end_date} required>
          {(control) => (
            <input
              {...control}
              type="date"
              required
              value={draft.term_end_date}
              onChange={(event) => set("term_end_date", event.target.value)}
            />
          )}
        </Field>
      ) : null}
      <div className="ms-checks">
        <label>
          <input
            type="checkbox"
            checked={draft.pro_rata}
            onChange={(event) => set("pro_rata", event.target.checked)}
          />{" "}
          {t("memberships.type.proRata")}
        </label>
        <label>
          <input
            type="checkbox"
            checked={draft.refund_on_early_end}
            onChange={(event) => set("refund_on_early_end", event.target.checked)}
          />{" "}
          {t("memberships.type.refund")}
        </label>
      </div>
      <Field label={t("memberships.type.rights")} hint={t("memberships.type.rightsHint")} error={rightsError}>
        {(control) => (
          <input
            {...control}
            value={draft.rights}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => set("rights", event.target.value)}
          />
        )}
      </Field>
    </>
  );
}

/** Whether the draft may be sent: the API would refuse a malformed right code anyway. */
export function draftIsSendable(draft: TypeDraft): boolean {
  return draft.name.trim() !== "" && rightsOf(draft.rights).every((right) => RIGHT_PATTERN.test(right));
}
