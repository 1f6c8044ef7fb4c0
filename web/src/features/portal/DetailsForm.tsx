// The form of my details: e-mail addresses (one or more), phone, address and IBAN. Only what
// changed is sent. When someone (the club) saved my contact in between (412), the form goes on
// from their version: my typed values stay, and saving again sends my changes on top of it.
import { useEffect, useRef, useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import {
  detailsOf,
  filledEmails,
  formFieldOf,
  patchOf,
  type DetailsValues,
} from "./detailsForm";
import { useMyContactId, useSaveMyContact, type Contact, type VersionedContact } from "./portalApi";

const MAX_EMAILS = 10;

type TextField = Exclude<keyof DetailsValues, "emails">;

const KNOWN_ERRORS: Partial<Record<string, MessageKey>> = {
  emails: "portal.error.emails",
  phone: "portal.error.phone",
  country: "portal.error.country",
  iban: "portal.error.iban",
};

interface Props {
  start: VersionedContact;
  onSaved: () => void;
  onCancel: () => void;
}

export function DetailsForm({ start, onSaved, onCancel }: Props) {
  const { t } = useI18n();
  const id = useMyContactId();
  const [base, setBase] = useState(() => ({ values: detailsOf(start.contact), etag: start.etag }));
  const [values, setValues] = useState<DetailsValues>(base.values);
  const [overtaken, setOvertaken] = useState(false);
  const save = useSaveMyContact(id);
  const firstField = useRef<HTMLInputElement>(null);
  const errors = useFieldErrors(save.error);

  useEffect(() => {
    firstField.current?.focus();
  }, []);

  const set = (field: TextField) => (value: string) => setValues({ ...values, [field]: value });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The API numbers e-mails without the blank ones: the rows must match its "emails.<n>".
    const emails = filledEmails(values);
    const tidy = { ...values, emails: emails.length ? emails : [""] };
    setValues(tidy);
    const patch = patchOf(base.values, tidy);
    if (Object.keys(patch).length === 0) {
      onSaved();
      return;
    }
    save.mutate(
      { patch, etag: base.etag },
      {
        onSuccess: onSaved,
        onError: (error) => {
          const current = error.status === 412 ? (error.problem.current as Contact | undefined) : undefined;
          if (!current) return;
          const version = error.problem.current_version;
          setBase({
            values: detailsOf(current),
            etag: typeof version === "number" ? `"${version}"` : undefined,
          });
          setOvertaken(true);
        },
      },
    );
  };

  const text = (
    field: TextField,
    label: string,
    extra: { type?: string; autoComplete?: string; maxLength?: number; hint?: string } = {},
  ) => (
    <Field label={label} error={errors[field]} hint={extra.hint}>
      {(control) => (
        <input
          {...control}
          type={extra.type ?? "text"}
          value={values[field]}
          autoComplete={extra.autoComplete ?? "off"}
          maxLength={extra.maxLength}
          onChange={(event) => set(field)(event.target.value)}
        />
      )}
    </Field>
  );

  const stale = save.error instanceof ApiError && save.error.status === 412;
  const fieldErrorsShown = Object.keys(errors).length > 0;
  return (
    <form className="form portal-form" onSubmit={submit} noValidate>
      {overtaken ? (
        <p className="alert alert-warning" role="alert">
          {t("portal.details.overtaken")}
        </p>
      ) : null}
      <fieldset>
        <legend>{t("portal.field.emails")}</legend>
        <p className="field-hint">{t("portal.details.emailHint")}</p>
        {values.emails.map((email, index) => (
          <div className="email-row" key={index}>
            <Field
              label={t("portal.field.emailN", { n: index + 1 })}
              error={errors[`emails.${index}`] ?? (index === 0 ? errors.emails : undefined)}
            >
              {(control) => (
                <input
                  {...control}
                  ref={index === 0 ? firstField : undefined}
                  type="email"
                  value={email}
                  autoComplete={index === 0 ? "email" : "off"}
                  onChange={(event) =>
                    setValues({
                      ...values,
                      emails: values.emails.map((old, at) => (at === index ? event.target.value : old)),
                    })
                  }
                />
              )}
            </Field>
            {values.emails.length > 1 ? (
              <button
                type="button"
                className="btn"
                aria-label={t("portal.details.removeEmail", { email: email || String(index + 1) })}
                onClick={() =>
                  setValues({ ...values, emails: values.emails.filter((_, at) => at !== index) })
                }
              >
                {t("portal.details.remove")}
              </button>
            ) : null}
          </div>
        ))}
        {values.emails.length < MAX_EMAILS ? (
          <button
            type="button"
            className="btn"
            onClick={() => setValues({ ...values, emails: [...values.emails, ""] })}
          >
            {t("portal.details.addEmail")}
          </button>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{t("portal.field.phone")}</legend>
        <div className="form-grid">
          {text("phone", t("portal.field.phoneNumber"), { type: "tel", autoComplete: "tel" })}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("portal.field.address")}</legend>
        <div className="form-grid">
          {text("street", t("portal.field.street"), { autoComplete: "address-line1" })}
          {text("number", t("portal.field.number"), { maxLength: 20 })}
          {text("postcode", t("portal.field.postcode"), { maxLength: 20, autoComplete: "postal-code" })}
          {text("city", t("portal.field.city"), { autoComplete: "address-level2" })}
          {text("country", t("portal.field.country"), {
            maxLength: 2,
            autoComplete: "country",
            hint: t("portal.details.countryHint"),
          })}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("portal.field.bank")}</legend>
        <div className="form-grid">
          {text("iban", t("portal.field.iban"), { hint: t("portal.details.ibanHint") })}
        </div>
      </fieldset>
      {stale || fieldErrorsShown ? null : <ProblemAlert error={save.error} />}
      {fieldErrorsShown ? (
        <p className="alert alert-error" role="alert">
          {t("portal.details.fixFields")}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t("portal.details.saving") : t("portal.details.save")}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t("portal.details.cancel")}
        </button>
      </div>
    </form>
  );
}

/** The API's field errors by the form's field names, in the person's language where we know
 * what the field needs; otherwise the API's own message. */
function useFieldErrors(error: unknown): Record<string, string> {
  const { t } = useI18n();
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const byField: Record<string, string> = {};
  for (const problem of error.problem.errors ?? []) {
    const field = formFieldOf(problem.field);
    const known = KNOWN_ERRORS[field.replace(/\.\d+$/, "")];
    byField[field] ??= known ? t(known) : problem.message.replace(/^Value error, /, "");
  }
  return byField;
}
