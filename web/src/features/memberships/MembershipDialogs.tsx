// The changes to a contact's memberships, each in its dialog: start one, set its end (If-Match),
// change its type on a date, delete a mistake (If-Match). A stale end or delete (412) shows the
// membership as it is now and sends its new version on the next try.
import { useState, type FormEvent, type ReactNode } from "react";

import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog, Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useMembershipLabels } from "./labels";
import {
  END_REASONS,
  isoToday,
  useChangeMembershipType,
  useDeleteMembership,
  useEndMembership,
  useStartMembership,
  useTypeChoices,
  type EndReason,
  type Membership,
} from "./membershipApi";

function TypeSelect(props: {
  label: string;
  value: string;
  onChange: (typeId: string) => void;
  error?: string | undefined;
  exclude?: string;
}) {
  const { t } = useI18n();
  const types = useTypeChoices();
  return (
    <Field label={props.label} error={props.error ?? (types.error ? t("memberships.typesUnavailable") : undefined)} required>
      {(control) => (
        <select
          {...control}
          required
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
        >
          <option value="">{t("memberships.field.chooseType")}</option>
          {(types.data ?? [])
            .filter((type) => type.id !== props.exclude)
            .map((type) => (
              <option key={type.id} value={type.id}>
                {type.name}
              </option>
            ))}
        </select>
      )}
    </Field>
  );
}

function DialogForm(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  busy: boolean;
  ready: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onClose}>
      <form className="form" onSubmit={submit} noValidate>
        {props.children}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={props.busy || !props.ready}>
            {props.busy ? t("common.saving") : props.submitLabel}
          </button>
          <button type="button" className="btn" onClick={props.onClose}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function StartMembershipDialog(props: { open: boolean; contactId: string; onClose: () => void }) {
  const { t } = useI18n();
  const start = useStartMembership(props.contactId);
  const [typeId, setTypeId] = useState("");
  const [startDate, setStartDate] = useState(isoToday());
  const [endDate, setEndDate] = useState("");
  const errors = start.error instanceof ApiError ? start.error.fieldErrors() : {};
  const close = () => {
    setTypeId("");
    setStartDate(isoToday());
    setEndDate("");
    start.reset();
    props.onClose();
  };
  return (
    <DialogForm
      open={props.open}
      title={t("memberships.panel.start")}
      onClose={close}
      onSubmit={() =>
        start.mutate(
          { type_id: typeId, start_date: startDate, end_date: endDate || null },
          { onSuccess: close },
        )
      }
      submitLabel={t("memberships.start.submit")}
      busy={start.isPending}
      ready={Boolean(typeId && startDate)}
    >
      <TypeSelect label={t("memberships.field.type")} value={typeId} onChange={setTypeId} error={errors.type_id} />
      <Field label={t("memberships.field.start")} error={errors.start_date} required>
        {(control) => (
          <input
            {...control}
            type="date"
            required
            value={startDate}
            onChange={(event) => setStartDate(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("memberships.field.end")} hint={t("memberships.start.endHint")} error={errors.end_date}>
        {(control) => (
          <input
            {...control}
            type="date"
            min={startDate}
            value={endDate}
            onChange={(event) => setEndDate(event.target.value)}
          />
        )}
      </Field>
      <ProblemAlert error={start.error} />
    </DialogForm>
  );
}

/** The membership as the last 412 answer gave it, else as the list showed it. */
function useLatest(membership: Membership) {
  const [fresh, setFresh] = useState<Membership | null>(null);
  const latest = fresh && fresh.id === membership.id ? fresh : membership;
  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 412) {
      setFresh((error.problem.current as Membership | undefined) ?? null);
    }
  };
  return { latest, stale: latest !== membership, onError, forget: () => setFresh(null) };
}

function StaleMembership({ membership }: { membership: Membership }) {
  const { t, date } = useI18n();
  const labels = useMembershipLabels();
  return (
    <p className="alert alert-warning" role="status">
      {t("memberships.stale.now", {
        type: membership.type_name,
        start: date(membership.start_date),
        end: membership.end_date ? date(membership.end_date) : t("memberships.panel.openEnd"),
      })}
      {membership.end_reason ? ` (${labels.reason(membership.end_reason)})` : ""}{" "}
      {t("memberships.stale.again")}
    </p>
  );
}

interface MembershipDialogProps {
  open: boolean;
  contactId: string;
  membership: Membership;
  onClose: () => void;
}

export function EndMembershipDialog({ open, contactId, membership, onClose }: MembershipDialogProps) {
  const { t } = useI18n();
  const labels = useMembershipLabels();
  const end = useEndMembership(contactId);
  const { latest, stale, onError, forget } = useLatest(membership);
  const [endDate, setEndDate] = useState(membership.end_date ?? isoToday());
  const [reason, setReason] = useState<NonNullable<EndReason>>("resigned");
  const errors = end.error instanceof ApiError ? end.error.fieldErrors() : {};
  const close = () => {
    end.reset();
    forget();
    onClose();
  };
  return (
    <DialogForm
      open={open}
      title={t("memberships.end.title", { type: membership.type_name })}
      onClose={close}
      onSubmit={() =>
        end.mutate({ membership: latest, end_date: endDate, reason }, { onSuccess: close, onError })
      }
      submitLabel={t("memberships.end.submit")}
      busy={end.isPending}
      ready={Boolean(endDate)}
    >
      <Field label={t("memberships.end.date")} hint={t("memberships.end.dateHint")} error={errors.end_date} required>
        {(control) => (
          <input
            {...control}
            type="date"
            required
            min={membership.start_date}
            value={endDate}
            onChange={(event) => setEndDate(event.target.value)}
          />
        )}
      </Field>
      <Field label={t("memberships.end.reason")} error={errors.reason}>
        {(control) => (
          <select
            {...control}
            value={reason}
            onChange={(event) => setReason(event.target.value as NonNullable<EndReason>)}
          >
            {END_REASONS.map((code) => (
              <option key={code} value={code}>
                {labels.reason(code)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ProblemAlert error={end.error} />
      {stale ? <StaleMembership membership={latest} /> : null}
    </DialogForm>
  );
}

export function ChangeTypeDialog({ open, contactId, membership, onClose }: MembershipDialogProps) {
  const { t, date } = useI18n();
  const change = useChangeMembershipType(contactId);
  const [typeId, setTypeId] = useState("");
  const [on, setOn] = useState(isoToday());
  const errors = change.error instanceof ApiError ? change.error.fieldErrors() : {};
  const close = () => {
    change.reset();
    onClose();
  };
  return (
    <DialogForm
      open={open}
      title={t("memberships.change.title", { type: membership.type_name })}
      onClose={close}
      onSubmit={() => change.mutate({ membership, type_id: typeId, on }, { onSuccess: close })}
      submitLabel={t("memberships.change.submit")}
      busy={change.isPending}
      ready={Boolean(typeId && on)}
    >
      <p>{t("memberships.change.body", { start: date(membership.start_date) })}</p>
      <TypeSelect
        label={t("memberships.change.newType")}
        value={typeId}
        onChange={setTypeId}
        error={errors.type_id}
        exclude={membership.type_id}
      />
      <Field label={t("memberships.change.on")} error={errors.on} required>
        {(control) => (
          <input
            {...control}
            type="date"
            required
            value={on}
            onChange={(event) => setOn(event.target.value)}
          />
        )}
      </Field>
      <ProblemAlert error={change.error} />
    </DialogForm>
  );
}

export function DeleteMembershipDialog({ open, contactId, membership, onClose }: MembershipDialogProps) {
  const { t, date } = useI18n();
  const remove = useDeleteMembership(contactId);
  const { latest, stale, onError, forget } = useLatest(membership);
  const close = () => {
    remove.reset();
    forget();
    onClose();
  };
  return (
    <ConfirmDialog
      open={open}
      title={t("memberships.delete.title")}
      message={
        <>
          <p>
            {t("memberships.delete.body", {
              type: membership.type_name,
              start: date(membership.start_date),
            })}
          </p>
          <ProblemAlert error={remove.error} />
          {stale ? <StaleMembership membership={latest} /> : null}
        </>
      }
      confirmLabel={t("memberships.delete.confirm")}
      danger
      busy={remove.isPending}
      onConfirm={() => remove.mutate(latest, { onSuccess: close, onError })}
      onCancel={close}
    />
  );
}
