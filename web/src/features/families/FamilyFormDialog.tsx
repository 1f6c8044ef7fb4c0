// Create a family or change one (name, shared address). A change sends the family's ETag as
// If-Match; when someone else changed it meanwhile, both versions are shown side by side.
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
import { familyKeys, type Family } from "./familyApi";

interface FamilyFormDialogProps {
  open: boolean;
  /** The family to change; none to create one. */
  family?: Tagged<Family> | undefined;
  onClose: () => void;
  onSaved: (family: Family) => void;
}

export function FamilyFormDialog({ open, family, onClose, onSaved }: FamilyFormDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog
      open={open}
      title={family ? t("families.edit.title") : t("families.create.title")}
      onClose={onClose}
    >
      {open ? <FamilyForm family={family} onCancel={onClose} onSaved={onSaved} /> : null}
    </Dialog>
  );
}

function FamilyForm({
  family,
  onCancel,
  onSaved,
}: {
  family: Tagged<Family> | undefined;
  onCancel: () => void;
  onSaved: (family: Family) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(family?.data.name ?? "");
  const [address, setAddress] = useState(addressValue(family?.data.address));

  const edit = useEditWithEtag({
    record: family,
    save: (etag) => {
      const body = { name: name.trim(), address: addressInput(address) };
      if (!family) return unwrap(api.POST("/api/v1/contacts/families", { body }));
      return unwrap(
        api.PATCH("/api/v1/contacts/families/{family_id}", {
          params: { path: { family_id: family.data.id } },
          body,
          headers: ifMatch(etag),
        }),
      );
    },
    queryKey: familyKeys.all,
    onSaved,
    takeValues: (current) => {
      setName(current.name);
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
            { label: t("families.field.name"), mine: name.trim(), theirs: stale.current.name },
            {
              label: t("common.address.legend"),
              mine: addressLine(addressInput(address)),
              theirs: addressLine(stale.current.address),
            },
          ]}
          onKeepMine={edit.keepMine}
          onTakeTheirs={edit.takeTheirs}
        />
      ) : null}
      <Field label={t("families.field.name")} error={errors.name} required>
        {(control) => (
          <input
            {...control}
            value={name}
            required
            maxLength={200}
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <AddressFields value={address} onChange={setAddress} errors={errors} />
      <FormActions busy={edit.busy} onCancel={onCancel} />
    </form>
  );
}
