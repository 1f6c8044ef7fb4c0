// The organisation's payment reference: the ISO 11649 RF reference or the Belgian structured
// communication (+++123/4567/89012+++) on invoices, their e-mails and QR codes.
import { useState, type FormEvent } from "react";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import {
  REFERENCE_SCHEMES,
  useChooseReferenceScheme,
  useOrganisation,
  type Organisation,
  type ReferenceScheme,
} from "./billingApi";

export function ReferenceSchemeSection() {
  const { t } = useI18n();
  const organisation = useOrganisation();
  return (
    <section className="card" aria-labelledby="sepa-reference-scheme">
      <h2 id="sepa-reference-scheme">{t("billing.scheme.title")}</h2>
      <ProblemAlert error={organisation.error} />
      {organisation.data ? (
        <SchemeForm organisation={organisation.data} />
      ) : null}
    </section>
  );
}

function SchemeForm({ organisation }: { organisation: Organisation }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const choose = useChooseReferenceScheme();
  const [scheme, setScheme] = useState<ReferenceScheme>(organisation.payment_reference_scheme);
  const mayChoose = can("PATCH", "/billing/organisation");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    choose.mutate(scheme);
  };
  return (
    <form onSubmit={submit} noValidate>
      <p>
        {t("billing.scheme.account", { name: organisation.name, iban: organisation.iban })}
      </p>
      <fieldset className="choice" disabled={!mayChoose}>
        <legend>{t("billing.scheme.legend")}</legend>
        {REFERENCE_SCHEMES.map((option) => (
          <label key={option}>
            <input
              type="radio"
              name="reference-scheme"
              value={option}
              checked={scheme === option}
              onChange={() => {
                choose.reset();
                setScheme(option);
              }}
            />{" "}
            {t(`billing.scheme.${option}`)}
          </label>
        ))}
      </fieldset>
      {choose.isSuccess ? (
        <p className="alert alert-success" role="status">
          {t("billing.scheme.saved")}
        </p>
      ) : null}
      <ProblemAlert error={choose.error} />
      {mayChoose ? (
        <button
          type="submit"
          className="btn btn-primary"
          disabled={choose.isPending || scheme === organisation.payment_reference_scheme}
        >
          {t("billing.scheme.save")}
        </button>
      ) : null}
    </form>
  );
}
