// Create a family or change one (name, shared address). A change sends the family's ETag as
// If-Match; when someone else changed it meanwhile, both versions are shown side by side.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, unwrap } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { AddressFields, addressInput, addressLine, addressValue } from "./AddressFields";
import { familyKeys, type Family } from "./familyApi";
import { StaleEditAlert } from "./StaleEditAlert";
import { alertErrorOf, fieldErrorsOf, ifMatch, staleOf, type Tagged } from "./tagged";

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
  const queryClient = useQueryClient();
  const [name, setName] = useState(family?.data.name ?? "");
  const [address, setAddress] = useState(addressValue(family?.data.address));

  const save = useMutation({
    mutationFn: (etag: string | undefined) => {
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
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: familyKeys.all });
      onSaved(saved);
    },
  });

  const stale = staleOf<Family>(save.error);
  const errors = fieldErrorsOf(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(family?.etag);
  };
  const takeTheirs = () => {
    if (!stale) return;
    setName(stale.current.name);
    setAddress(addressValue(stale.current.address));
    save.reset();
    void queryClient.invalidateQueries({ queryKey: familyKeys.all });
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <ProblemAlert error={alertErrorOf(save.error)} />
      {stale ? (
        <StaleEditAlert
          busy={save.isPending}
          fields={[
            { label: t("families.field.name"), mine: name.trim(), theirs: stale.current.name },
            {
              label: t("families.address.legend"),
              mine: addressLine(addressInput(address)),
              theirs: addressLine(stale.current.address),
            },
          ]}
          onKeepMine={() => save.mutate(stale.etag)}
          onTakeTheirs={takeTheirs}
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
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t("common.saving") : t("common.save")}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
