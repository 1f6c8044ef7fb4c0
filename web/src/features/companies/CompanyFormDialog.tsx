// Create a company or change one (name, VAT number, IBAN, address, notes). A change sends the
// company's ETag as If-Match; when someone else changed it meanwhile, both versions are shown.
import { useState } from "react";

import { api, unwrap } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { AddressFields, addressInput, addressLine, addressValue } from "../../ui/AddressFields";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { FormActions } from "../../ui/FormActions";
import { ProblemAlert } from "../../ui/Problem";
import { StaleEditAlert } from "../../ui/StaleEditAlert";
import { ifMatch, type Tagged } from "../../ui/tagged";
import { useEditWithEtag } from "../../ui/useEditWithEtag";
import { companyKeys, type Company } from "./companyApi";

interface CompanyFormDialogProps {
  open: boolean;
  /** The company to change; none to create one. */
  company?: Tagged<Company> | undefined;
  onClose: () => void;
  onSaved: (company: Company) => void;
}

export function CompanyFormDialog({ open, company, onClose, onSaved }: CompanyFormDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog
      open={open}
      wide
      title={company ? t("companies.edit.title") : t("companies.create.title")}
      onClose={onClose}
    >
      {open ? <CompanyForm company={company} onCancel={onClose} onSaved={onSaved} /> : null}
    </Dialog>
  );
}

interface Values {
  name: string;
  vat: string;
  iban: string;
  notes: string;
}

function valuesOf(company: Company | undefined): Values {
  return {
    name: company?.name ?? "",
    vat: company?.vat_number ?? "",
    iban: company?.iban ?? "",
    notes: company?.notes ?? "",
  };
}

function CompanyForm({
  company,
  onCancel,
  onSaved,
}: {
  company: Tagged<Company> | undefined;
  onCancel: () => void;
  onSaved: (company: Company) => void;
}) {
  const { t } = useI18n();
  const [values, setValues] = useState(valuesOf(company?.data));
  const [address, setAddress] = useState(addressValue(company?.data.address));
  const set = (field: keyof Values) => (text: string) => setValues({ ...values, [field]: text });

  const edit = useEditWithEtag({
    record: company,
    save: (etag) => {
      const body = {
        name: values.name.trim(),
        vat_number: values.vat.trim() || null,
        iban: values.iban.trim() || null,
        notes: values.notes,
        address: addressInput(address),
      };
      if (!company) return unwrap(api.POST("/api/v1/contacts/companies", { body }));
      return unwrap(
        api.PATCH("/api/v1/contacts/companies/{company_id}", {
          params: { path: { company_id: company.data.id } },
          body,
          headers: ifMatch(etag),
        }),
      );
    },
    queryKey: companyKeys.all,
    onSaved,
    takeValues: (current) => {
      setValues(valuesOf(current));
      setAddress(addressValue(current.address));
    },
  });
  const { stale, errors } = edit;

  return (
    <form className="form" onSubmit={edit.submit} noValidate>
      <ProblemAlert error={edit.alertError} />
      {stale ? (
        <StaleEditAlert
          busy={edit.busy}
          fields={[
            { label: t("companies.field.name"), mine: values.name.trim(), theirs: stale.current.name },
            {
              label: t("companies.field.vat"),
              mine: values.vat.trim(),
              theirs: stale.current.vat_number ?? "",
            },
            { label: t("companies.field.iban"), mine: values.iban.trim(), theirs: stale.current.iban ?? "" },
            {
              label: t("common.address.legend"),
              mine: addressLine(addressInput(address)),
              theirs: addressLine(stale.current.address),
            },
            { label: t("companies.field.notes"), mine: values.notes, theirs: stale.current.notes },
          ]}
          onKeepMine={edit.keepMine}
          onTakeTheirs={edit.takeTheirs}
        />
      ) : null}
      <div className="form-grid">
        <Field label={t("companies.field.name")} error={errors.name} required>
          {(control) => (
            <input
              {...control}
              value={values.name}
              required
              maxLength={200}
              onChange={(event) => set("name")(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("companies.field.vat")}
          error={errors.vat_number}
          hint={t("companies.field.vatHint")}
        >
          {(control) => (
            <input
              {...control}
              value={values.vat}
              maxLength={30}
              onChange={(event) => set("vat")(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("companies.field.iban")} error={errors.iban}>
          {(control) => (
            <input
              {...control}
              value={values.iban}
              maxLength={50}
              onChange={(event) => set("iban")(event.target.value)}
            />
          )}
        </Field>
      </div>
      <AddressFields value={address} onChange={setAddress} errors={errors} />
      <Field label={t("companies.field.notes")} error={errors.notes}>
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={values.notes}
            onChange={(event) => set("notes")(event.target.value)}
          />
        )}
      </Field>
      <FormActions busy={edit.busy} onCancel={onCancel} />
    </form>
  );
}
