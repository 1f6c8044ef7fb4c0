// Allocate a resource to a contact for a period (no end: until further notice), or change an
// allocation's end (empty reopens it) and note. An overlap with another allocation is refused
// by the API (409) and said so here.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { ChosenContact } from "../../ui/ChosenContact";
import { ContactPicker, type ContactSummary } from "../../ui/ContactPicker";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { FormActions } from "../../ui/FormActions";
import { ProblemAlert } from "../../ui/Problem";
import { alertErrorOf, fieldErrorsOf } from "../../ui/tagged";
import { today } from "../../ui/today";
import { Holder } from "./Holder";
import { resourceKeys, type Allocation } from "./resourceApi";

interface AllocationDialogProps {
  resourceId: string;
  /** The allocation to change; none to allocate anew. */
  allocation: Allocation | undefined;
  open: boolean;
  onClose: () => void;
}

export function AllocationDialog({ resourceId, allocation, open, onClose }: AllocationDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog
      open={open}
      title={allocation ? t("resources.allocations.editTitle") : t("resources.allocations.addTitle")}
      onClose={onClose}
    >
      {open ? (
        <AllocationForm resourceId={resourceId} allocation={allocation} onDone={onClose} />
      ) : null}
    </Dialog>
  );
}

function AllocationForm({
  resourceId,
  allocation,
  onDone,
}: {
  resourceId: string;
  allocation: Allocation | undefined;
  onDone: () => void;
}) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [contact, setContact] = useState<ContactSummary | null>(null);
  const [start, setStart] = useState(allocation?.start_date ?? today());
  const [end, setEnd] = useState(allocation?.end_date ?? "");
  const [note, setNote] = useState(allocation?.note ?? "");

  const save = useMutation({
    mutationFn: () => {
      if (allocation) {
        return unwrap(
          api.PATCH("/api/v1/contacts/resources/{resource_id}/allocations/{allocation_id}", {
            params: { path: { resource_id: resourceId, allocation_id: allocation.id } },
            body: { end_date: end || null, note },
          }),
        );
      }
      return unwrap(
        api.POST("/api/v1/contacts/resources/{resource_id}/allocations", {
          params: { path: { resource_id: resourceId } },
          body: { contact_id: contact?.id ?? null, start_date: start, end_date: end || null, note },
        }),
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: resourceKeys.all });
      onDone();
    },
  });
  const errors = fieldErrorsOf(save.error);
  const overlap = save.error instanceof ApiError && save.error.status === 409;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!allocation && !contact) return;
    save.mutate();
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {overlap ? (
        <div className="alert alert-error" role="alert">
          <strong>{t("resources.allocations.overlap")}</strong>
          {save.error instanceof ApiError && save.error.problem.detail ? (
            <p>{save.error.problem.detail}</p>
          ) : null}
        </div>
      ) : (
        <ProblemAlert error={alertErrorOf(save.error)} />
      )}
      {allocation ? (
        <dl className="details allocation-summary">
          <dt>{t("resources.allocations.holder")}</dt>
          <dd>
            <Holder allocation={allocation} />
          </dd>
          <dt>{t("resources.allocations.start")}</dt>
          <dd>{date(allocation.start_date)}</dd>
        </dl>
      ) : contact ? (
        <ChosenContact contact={contact} onOther={() => setContact(null)} />
      ) : (
        <div className="field">
          <ContactPicker label={t("common.contact.find")} onPick={setContact} />
          {errors.contact_id ? <p className="field-error">{errors.contact_id}</p> : null}
        </div>
      )}
      <div className="form-grid">
        {allocation ? null : (
          <Field label={t("resources.allocations.start")} error={errors.start_date} required>
            {(control) => (
              <input
                {...control}
                type="date"
                required
                value={start}
                onChange={(event) => setStart(event.target.value)}
              />
            )}
          </Field>
        )}
        <Field
          label={t("resources.allocations.endDate")}
          error={errors.end_date}
          hint={t("resources.allocations.endHint")}
        >
          {(control) => (
            <input
              {...control}
              type="date"
              value={end}
              min={start}
              onChange={(event) => setEnd(event.target.value)}
            />
          )}
        </Field>
      </div>
      <Field label={t("resources.allocations.note")} error={errors.note}>
        {(control) => (
          <textarea {...control} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
        )}
      </Field>
      <FormActions busy={save.isPending} disabled={!allocation && !contact} onCancel={onDone} />
    </form>
  );
}
