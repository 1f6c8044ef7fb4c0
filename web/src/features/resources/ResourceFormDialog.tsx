// Create a resource or change one: name, kind, code (unique: a locker's number, a key's tag),
// location and notes, with the API's field errors at the fields. Resources have no version yet,
// so a change is unconditional.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { FormActions } from "../../ui/FormActions";
import { ProblemAlert } from "../../ui/Problem";
import { alertErrorOf, fieldErrorsOf } from "../../ui/tagged";
import { RESOURCE_KINDS, resourceKeys, type Resource, type ResourceKind } from "./resourceApi";

interface ResourceFormDialogProps {
  open: boolean;
  resource?: Resource | undefined;
  onClose: () => void;
  onSaved: (resource: Resource) => void;
}

export function ResourceFormDialog({ open, resource, onClose, onSaved }: ResourceFormDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog
      open={open}
      title={resource ? t("resources.edit.title") : t("resources.create.title")}
      onClose={onClose}
    >
      {open ? <ResourceForm resource={resource} onCancel={onClose} onSaved={onSaved} /> : null}
    </Dialog>
  );
}

function ResourceForm({
  resource,
  onCancel,
  onSaved,
}: {
  resource: Resource | undefined;
  onCancel: () => void;
  onSaved: (resource: Resource) => void;
}) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState(resource?.name ?? "");
  const [kind, setKind] = useState<ResourceKind>((resource?.kind as ResourceKind) ?? "locker");
  const [code, setCode] = useState(resource?.code ?? "");
  const [location, setLocation] = useState(resource?.location ?? "");
  const [notes, setNotes] = useState(resource?.notes ?? "");

  const save = useMutation({
    mutationFn: () => {
      const body = {
        name: name.trim(),
        kind,
        code: code.trim() || null,
        location: location.trim() || null,
        notes,
      };
      if (!resource) return unwrap(api.POST("/api/v1/contacts/resources", { body }));
      return unwrap(
        api.PATCH("/api/v1/contacts/resources/{resource_id}", {
          params: { path: { resource_id: resource.id } },
          body,
        }),
      );
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: resourceKeys.all });
      onSaved(saved);
    },
  });
  const errors = fieldErrorsOf(save.error);
  // A code already in use is a 409 about the code: shown at the code.
  const codeTaken = save.error instanceof ApiError && save.error.status === 409;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <ProblemAlert error={codeTaken ? null : alertErrorOf(save.error)} />
      <div className="form-grid">
        <Field label={t("resources.field.name")} error={errors.name} required>
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
        <Field label={t("resources.field.kind")} error={errors.kind} required>
          {(control) => (
            <select
              {...control}
              value={kind}
              onChange={(event) => setKind(event.target.value as ResourceKind)}
            >
              {RESOURCE_KINDS.map((option) => (
                <option key={option} value={option}>
                  {t(`resources.kind.${option}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={t("resources.field.code")}
          error={errors.code ?? (codeTaken ? t("resources.field.codeTaken") : undefined)}
          hint={t("resources.field.codeHint")}
        >
          {(control) => (
            <input
              {...control}
              value={code}
              maxLength={50}
              onChange={(event) => setCode(event.target.value)}
            />
          )}
        </Field>
        <Field label={t("resources.field.location")} error={errors.location}>
          {(control) => (
            <input
              {...control}
              value={location}
              maxLength={200}
              onChange={(event) => setLocation(event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label={t("resources.field.notes")} error={errors.notes}>
        {(control) => (
          <textarea {...control} rows={3} value={notes} onChange={(event) => setNotes(event.target.value)} />
        )}
      </Field>
      <FormActions busy={save.isPending} onCancel={onCancel} />
    </form>
  );
}
