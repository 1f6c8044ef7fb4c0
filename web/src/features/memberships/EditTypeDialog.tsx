// Editing a type with its ETag as If-Match. When someone changed it meanwhile (412) the dialog
// shows the fields where their saved values and this draft differ, and lets the person keep
// either.
import { useEffect, useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { ProblemAlert } from "../../ui/Problem";
import { useMembershipLabels } from "./labels";
import { ifMatch, useChangeType, type MembershipType } from "./membershipApi";
import {
  TypeFields,
  bodyOf,
  draftIsSendable,
  draftOf,
  type TypeBody,
  type TypeDraft,
} from "./TypeFields";

interface EditTypeDialogProps {
  open: boolean;
  type: MembershipType;
  etag: string;
  onClose: () => void;
}

type Body = TypeBody;

const FIELD_LABELS: Record<keyof Body, MessageKey> = {
  name: "memberships.type.name",
  description: "memberships.type.description",
  billing_period: "memberships.type.billingPeriod",
  period_start_month: "memberships.type.periodStartMonth",
  period_start_day: "memberships.type.periodStartDay",
  term_kind: "memberships.type.termKind",
  term_months: "memberships.type.termMonths",
  term_end_date: "memberships.type.termEndDate",
  pro_rata: "memberships.type.proRata",
  refund_on_early_end: "memberships.type.refund",
  rights: "memberships.type.rights",
};

export function EditTypeDialog({ open, type, etag, onClose }: EditTypeDialogProps) {
  const { t } = useI18n();
  const change = useChangeType(type.id);
  const [draft, setDraft] = useState<TypeDraft>(() => draftOf(type));
  // The type as saved by someone else, from the 412 answer.
  const [theirs, setTheirs] = useState<MembershipType | null>(null);

  useEffect(() => {
    if (open) setDraft(draftOf(type));
    // Only when the dialog opens: a refetch while typing must not wipe the draft.
  }, [open]);

  const close = () => {
    setTheirs(null);
    change.reset();
    onClose();
  };

  const save = (precondition: string) =>
    change.mutate(
      { change: bodyOf(draft), etag: precondition },
      {
        onSuccess: close,
        onError: (error) => {
          if (error instanceof ApiError && error.status === 412) {
            setTheirs((error.problem.current as MembershipType | undefined) ?? null);
          }
        },
      },
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save(theirs ? ifMatch(theirs.version) : etag);
  };

  const errors = change.error instanceof ApiError ? change.error.fieldErrors() : {};

  return (
    <Dialog open={open} title={t("memberships.type.editTitle", { name: type.name })} onClose={close} wide>
      <form className="form" onSubmit={submit} noValidate>
        {theirs ? (
          <StaleNotice
            mine={bodyOf(draft)}
            theirs={theirs}
            onTakeTheirs={() => {
              setDraft(draftOf(theirs));
              setTheirs(null);
              change.reset();
            }}
          />
        ) : (
          <ProblemAlert error={change.error} />
        )}
        <TypeFields draft={draft} onChange={setDraft} errors={errors} />
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={change.isPending || !draftIsSendable(draft)}
          >
            {change.isPending
              ? t("common.saving")
              : theirs
                ? t("memberships.conflict.keepMine")
                : t("common.save")}
          </button>
          <button type="button" className="btn" onClick={close}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function StaleNotice(props: { mine: Body; theirs: MembershipType; onTakeTheirs: () => void }) {
  const { t } = useI18n();
  const labels = useMembershipLabels();
  const saved = bodyOf(draftOf(props.theirs));
  const show = (field: keyof Body, value: Body[keyof Body]): string => {
    if (value === null || value === "") return "—";
    if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
    if (Array.isArray(value)) return value.join(", ") || "—";
    if (field === "billing_period") return labels.billing(value as Body["billing_period"]);
    if (field === "term_kind") return labels.termKind(value as Body["term_kind"]);
    return String(value);
  };
  const differing = (Object.keys(FIELD_LABELS) as (keyof Body)[]).filter(
    (field) => show(field, props.mine[field]) !== show(field, saved[field]),
  );
  return (
    <div className="alert alert-error" role="alert">
      <strong>{t("common.problem.stale")}</strong>
      <p>{t("memberships.conflict.body")}</p>
      {differing.length ? (
        <table className="data-table ms-conflict">
          <caption className="visually-hidden">{t("memberships.conflict.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("memberships.conflict.field")}</th>
              <th scope="col">{t("memberships.conflict.mine")}</th>
              <th scope="col">{t("memberships.conflict.theirs")}</th>
            </tr>
          </thead>
          <tbody>
            {differing.map((field) => (
              <tr key={field}>
                <th scope="row">{t(FIELD_LABELS[field])}</th>
                <td>{show(field, props.mine[field])}</td>
                <td>{show(field, saved[field])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("memberships.conflict.same")}</p>
      )}
      <p>
        <button type="button" className="btn" onClick={props.onTakeTheirs}>
          {t("memberships.conflict.takeTheirs")}
        </button>
      </p>
    </div>
  );
}
