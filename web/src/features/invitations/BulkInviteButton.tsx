// Inviting every contact of a search result: a confirmation naming how many, then what came of
// it (invited, and the skipped ones counted by reason). The gateway takes at most 1000 ids a
// request, so a larger result goes in parts with a progress bar.
import { useState } from "react";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog, Dialog } from "../../ui/Dialog";
import { Progress } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useBulkInvite, type BulkResult, type SkipReason } from "./invitationApi";
import { skipReasonLabel } from "./labels";
import "./invitations.css";

const PART_SIZE = 1000;

interface Outcome {
  invited: number;
  skipped: number;
  reasons: Map<SkipReason | null, number>;
}

const EMPTY: Outcome = { invited: 0, skipped: 0, reasons: new Map() };

function added(outcome: Outcome, result: BulkResult): Outcome {
  const reasons = new Map(outcome.reasons);
  for (const item of result.results) {
    if (item.status !== "skipped") continue;
    const reason = item.reason ?? null;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return {
    invited: outcome.invited + result.invited,
    skipped: outcome.skipped + result.skipped,
    reasons,
  };
}

export function BulkInviteButton({ contactIds }: { contactIds: string[] }) {
  const { t, number } = useI18n();
  const { can } = useAuth();
  const bulk = useBulkInvite();
  const [step, setStep] = useState<"idle" | "confirm" | "sending" | "done">("idle");
  const [done, setDone] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const ids = [...new Set(contactIds)];
  if (!can("POST", "/invitations/bulk")) return null;

  const send = async () => {
    setStep("sending");
    setDone(0);
    setError(null);
    let sum = EMPTY;
    try {
      for (let start = 0; start < ids.length; start += PART_SIZE) {
        const part = ids.slice(start, start + PART_SIZE);
        sum = added(sum, await bulk.mutateAsync(part));
        setOutcome(sum);
        setDone(start + part.length);
      }
    } catch (failure) {
      setError(failure);
    }
    setOutcome(sum);
    setStep("done");
  };
  const close = () => {
    setStep("idle");
    setOutcome(EMPTY);
    setError(null);
  };

  return (
    <>
      <button
        type="button"
        className="btn"
        disabled={ids.length === 0}
        onClick={() => setStep("confirm")}
      >
        {t("invitations.bulk.button", { count: number(ids.length) })}
      </button>
      <ConfirmDialog
        open={step === "confirm"}
        title={t("invitations.bulk.title")}
        message={<p>{t("invitations.bulk.confirmBody", { count: number(ids.length) })}</p>}
        confirmLabel={t("invitations.bulk.confirm", { count: number(ids.length) })}
        onConfirm={() => void send()}
        onCancel={close}
      />
      <Dialog
        open={step === "sending" || step === "done"}
        title={t("invitations.bulk.resultTitle")}
        onClose={() => {
          if (step === "done") close();
        }}
        footer={
          <button type="button" className="btn btn-primary" disabled={step !== "done"} onClick={close}>
            {t("common.close")}
          </button>
        }
      >
        {step === "sending" ? (
          <Progress label={t("invitations.bulk.sending")} done={done} total={ids.length} />
        ) : null}
        <BulkOutcome outcome={outcome} />
        {error ? <BulkError error={error} /> : null}
      </Dialog>
    </>
  );
}

function BulkOutcome({ outcome }: { outcome: Outcome }) {
  const { t, number } = useI18n();
  return (
    <div role="status">
      <p className="bulk-counts">
        <span>{t("invitations.bulk.invited", { count: number(outcome.invited) })}</span>
        <span>{t("invitations.bulk.skipped", { count: number(outcome.skipped) })}</span>
      </p>
      {outcome.reasons.size ? (
        <ul className="bulk-reasons">
          {[...outcome.reasons].map(([reason, count]) => (
            <li key={reason ?? "other"}>
              {t("invitations.bulk.reasonCount", {
                reason: skipReasonLabel(t, reason),
                count: number(count),
              })}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function BulkError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.status === 429) {
    return (
      <p className="alert alert-error" role="alert">
        {t("invitations.tooMany", { seconds: error.retryAfterS ?? 60 })}
      </p>
    );
  }
  return <ProblemAlert error={error} />;
}

export default BulkInviteButton;
