// A contact's SEPA mandates: reference, account, signed on, state (active / revoked) and the
// next sequence type (FRST until the first collection, then RCUR); register one, revoke one.
// Exported for the contact profile as well as the SEPA page.
import { useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog, Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useMandates, useRegisterMandate, useRevokeMandate, type Mandate } from "./billingApi";
import { isoToday } from "./labels";
import "./billing.css";

export function MandatesPanel({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const mandates = useMandates(contactId);
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<Mandate | null>(null);
  const revoke = useRevokeMandate(contactId);
  const mayAdd = can("POST", "/billing/contacts/{contact_id}/mandates");
  const mayRevoke = can("POST", "/billing/contacts/{contact_id}/mandates/{mandate_id}/revoke");

  return (
    <div className="mandates-panel">
      {mandates.isPending ? <Loading /> : null}
      <ProblemAlert error={mandates.error} />
      {mandates.data ? (
        <MandateTable
          mandates={mandates.data}
          onRevoke={mayRevoke ? (mandate) => setRevoking(mandate) : undefined}
        />
      ) : null}
      {mayAdd ? (
        <p>
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            {t("billing.mandate.add")}
          </button>
        </p>
      ) : null}
      <Dialog open={adding} title={t("billing.mandate.addTitle")} onClose={() => setAdding(false)}>
        {adding ? <MandateForm contactId={contactId} onDone={() => setAdding(false)} /> : null}
      </Dialog>
      <ConfirmDialog
        open={revoking !== null}
        title={t("billing.mandate.revokeTitle")}
        message={
          <>
            <p>{t("billing.mandate.revokeBody", { reference: revoking?.reference ?? "" })}</p>
            <ProblemAlert error={revoke.error} />
          </>
        }
        confirmLabel={t("billing.mandate.revoke")}
        danger
        busy={revoke.isPending}
        onConfirm={() =>
          revoking && revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })
        }
        onCancel={() => {
          revoke.reset();
          setRevoking(null);
        }}
      />
    </div>
  );
}

function MandateTable({
  mandates,
  onRevoke,
}: {
  mandates: Mandate[];
  onRevoke: ((mandate: Mandate) => void) | undefined;
}) {
  const { t, date } = useI18n();
  if (mandates.length === 0) return <p className="muted">{t("billing.mandate.none")}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{t("billing.mandate.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("billing.mandate.reference")}</th>
            <th scope="col">{t("billing.mandate.iban")}</th>
            <th scope="col">{t("billing.mandate.signedOn")}</th>
            <th scope="col">{t("billing.invoice.status")}</th>
            <th scope="col">{t("billing.mandate.sequence")}</th>
            {onRevoke ? <th scope="col">{t("billing.mandate.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {mandates.map((mandate) => (
            <tr key={mandate.id}>
              <td>{mandate.reference}</td>
              <td className="iban">
                {mandate.iban}
                {mandate.bic ? <span className="muted"> · {mandate.bic}</span> : null}
              </td>
              <td>{date(mandate.signed_on)}</td>
              <td>
                {mandate.status === "active" ? (
                  <span className="badge badge-ok">{t("billing.mandate.active")}</span>
                ) : (
                  <span className="badge badge-danger">
                    {t("billing.mandate.revokedOn", { date: date(mandate.revoked_on) })}
                  </span>
                )}
              </td>
              <td>
                {mandate.status === "active" ? (
                  <abbr title={t(`billing.mandate.seq.${mandate.next_sequence_type}`)}>
                    {mandate.next_sequence_type}
                  </abbr>
                ) : (
                  "—"
                )}
              </td>
              {onRevoke ? (
                <td>
                  {mandate.status === "active" ? (
                    <button type="button" className="btn" onClick={() => onRevoke(mandate)}>
                      {t("billing.mandate.revokeOne", { reference: mandate.reference })}
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MandateForm({ contactId, onDone }: { contactId: string; onDone: () => void }) {
  const { t } = useI18n();
  const register = useRegisterMandate(contactId);
  const [iban, setIban] = useState("");
  const [bic, setBic] = useState("");
  const [signedOn, setSignedOn] = useState(isoToday());
  const [reference, setReference] = useState("");
  const errors = register.error instanceof ApiError ? register.error.fieldErrors() : {};
  const shownAtFields = ["iban", "bic", "signed_on", "reference"].some((f) => errors[f]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate(
      {
        iban: iban.trim(),
        bic: bic.trim() || null,
        signed_on: signedOn,
        reference: reference.trim() || null,
      },
      { onSuccess: onDone },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      {register.error && !shownAtFields ? <ProblemAlert error={register.error} /> : null}
      <Field label={t("billing.mandate.iban")} error={errors.iban} required>
        {(control) => (
          <input
            {...control}
            value={iban}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setIban(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("billing.mandate.bic")} hint={t("billing.mandate.bicHint")} error={errors.bic}>
        {(control) => (
          <input
            {...control}
            value={bic}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setBic(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("billing.mandate.signedOn")} error={errors.signed_on} required>
        {(control) => (
          <input
            {...control}
            type="date"
            value={signedOn}
            onChange={(event) => setSignedOn(event.target.value)}
          />
        )}
      </Field>
      <Field
        label={t("billing.mandate.reference")}
        hint={t("billing.mandate.referenceHint")}
        error={errors.reference}
      >
        {(control) => (
          <input
            {...control}
            value={reference}
            maxLength={35}
            autoComplete="off"
            onChange={(event) => setReference(event.target.value)}
          />
        )}
      </Field>
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={onDone}>
          {t("common.cancel")}
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={register.isPending || !iban.trim() || !signedOn}
        >
          {register.isPending ? t("common.saving") : t("billing.mandate.submit")}
        </button>
      </div>
    </form>
  );
}

export default MandatesPanel;
