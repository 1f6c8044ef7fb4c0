// The contact's fields for create and edit, each with the API's error for it beside it.
import type { FormEvent, ReactNode } from "react";
import { Link } from "react-router";

import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { formFieldOf, type ContactFormValues } from "./contactForm";

const MAX_EMAILS = 10;

interface ContactFormProps {
  values: ContactFormValues;
  onChange: (values: ContactFormValues) => void;
  onSubmit: () => void;
  /** The last failed save: its field errors go to the fields, the rest above the buttons. */
  error: unknown;
  busy: boolean;
  cancelTo: string;
  /** Shown above the fields (e.g. a conflict's outcome). */
  notice?: ReactNode;
}

export function ContactForm(props: ContactFormProps) {
  const { t } = useI18n();
  const { values, onChange } = props;
  const errors = useFieldErrors(props.error);
  const set = (field: keyof ContactFormValues) => (value: string) =>
    onChange({ ...values, [field]: value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The API numbers e-mails without the blank ones: the rows must match its "emails.<n>".
    const filled = values.emails.filter((email) => email.trim() !== "");
    if (filled.length !== values.emails.length) {
      onChange({ ...values, emails: filled.length ? filled : [""] });
    }
    props.onSubmit();
  };

  const text = (
    field: Exclude<keyof ContactFormValues, "emails">,
    label: string,
    extra: { type?: string; autoComplete?: string; maxLength?: number; hint?: string } = {},
    required = false,
  ) => (
    <Field label={label} error={errors[field]} hint={extra.hint} required={required}>
      {(control) => (
        <input
          {...control}
          type={extra.type ?? "text"}
          value={values[field]}
          autoComplete={extra.autoComplete ?? "off"}
          maxLength={extra.maxLength}
          required={required}
          onChange={(event) => set(field)(event.target.value)}
        />
      )}
    </Field>
  );

  return (
    <form className="form contact-form" onSubmit={submit} noValidate>
      {props.notice}
      <fieldset>
        <legend>{t("contacts.form.person")}</legend>
        <div className="form-grid">
          {text("first_name", t("contacts.field.first_name"), { autoComplete: "off" }, true)}
          {text("last_name", t("contacts.field.last_name"), { autoComplete: "off" }, true)}
          {text("birth_date", t("contacts.field.birth_date"), { type: "date" })}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("contacts.form.reach")}</legend>
        <EmailFields
          emails={values.emails}
          errors={errors}
          onChange={(emails) => onChange({ ...values, emails })}
        />
        <div className="form-grid">{text("phone", t("contacts.field.phone"), { type: "tel" })}</div>
      </fieldset>
      <fieldset>
        <legend>{t("contacts.form.address")}</legend>
        <div className="form-grid">
          {text("street", t("contacts.field.street"))}
          {text("number", t("contacts.field.number"), { maxLength: 20 })}
          {text("postcode", t("contacts.field.postcode"), { maxLength: 20 })}
          {text("city", t("contacts.field.city"))}
          {text("country", t("contacts.field.country"), {
            maxLength: 2,
            hint: t("contacts.form.countryHint"),
          })}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("contacts.form.bank")}</legend>
        <div className="form-grid">
          {text("iban", t("contacts.field.iban"), { hint: t("contacts.form.ibanHint") })}
        </div>
      </fieldset>
      <Field label={t("contacts.field.notes")} error={errors.notes}>
        {(control) => (
          <textarea
            {...control}
            rows={4}
            value={values.notes}
            onChange={(event) => set("notes")(event.target.value)}
          />
        )}
      </Field>
      {Object.keys(errors).length ? (
        // The API's own summary is in English; the fields say the rest in the person's language.
        <p className="alert alert-error" role="alert">
          {t("contacts.form.fixFields")}
        </p>
      ) : (
        <ProblemAlert error={props.error} />
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={props.busy}>
          {props.busy ? t("common.saving") : t("common.save")}
        </button>
        <Link to={props.cancelTo} className="btn">
          {t("common.cancel")}
        </Link>
      </div>
    </form>
  );
}

function EmailFields(props: {
  emails: string[];
  errors: Record<string, string>;
  onChange: (emails: string[]) => void;
}) {
  const { t } = useI18n();
  const { emails, onChange } = props;
  return (
    <div className="email-fields">
      {emails.map((email, index) => (
        <div className="email-row" key={index}>
          <Field
            label={t("contacts.field.emailN", { n: index + 1 })}
            error={
              props.errors[`emails.${index}`] ?? (index === 0 ? props.errors.emails : undefined)
            }
          >
            {(control) => (
              <input
                {...control}
                type="email"
                value={email}
                autoComplete="off"
                onChange={(event) =>
                  onChange(emails.map((old, at) => (at === index ? event.target.value : old)))
                }
              />
            )}
          </Field>
          {emails.length > 1 ? (
            <button
              type="button"
              className="btn"
              aria-label={t("contacts.form.removeEmail", { n: index + 1 })}
              onClick={() => onChange(emails.filter((_, at) => at !== index))}
            >
              {t("common.remove")}
            </button>
          ) : null}
        </div>
      ))}
      {emails.length < MAX_EMAILS ? (
        <button type="button" className="btn" onClick={() => onChange([...emails, ""])}>
          {t("contacts.form.addEmail")}
        </button>
      ) : null}
    </div>
  );
}

/** The API's field errors by the form's field names, in the person's language where we know
 * what the field needs; otherwise the API's own message. */
function useFieldErrors(error: unknown): Record<string, string> {
  const { t } = useI18n();
  if (!(error instanceof ApiError)) return {};
  const byField: Record<string, string> = {};
  for (const problem of error.problem.errors ?? []) {
    const field = formFieldOf(problem.field.replace(/^body\./, ""));
    const kind = field.replace(/\.\d+$/, "");
    const known = (KNOWN_ERRORS as readonly string[]).includes(kind)
      ? t(`contacts.error.${kind as KnownError}`)
      : null;
    byField[field] ??= known ?? problem.message.replace(/^Value error, /, "");
  }
  return byField;
}

const KNOWN_ERRORS = [
  "first_name",
  "last_name",
  "emails",
  "phone",
  "country",
  "iban",
  "birth_date",
] as const;
type KnownError = (typeof KNOWN_ERRORS)[number];
