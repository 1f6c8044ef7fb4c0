// A type's fee versions on a timeline, oldest first, each running until the day before the
// next; the one in force today is marked. A new rate is added from a later date: old ones are
// never rewritten (the service refuses a date not after the latest, 409).
import { useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { ProblemAlert } from "../../ui/Problem";
import { FeeFields, amountOf, type FeeDraft } from "./FeeFields";
import { addDays, feeOn, isoToday, useAddFee, type MembershipType } from "./membershipApi";

export function FeeTimeline({ type }: { type: MembershipType }) {
  const { t, date, money } = useI18n();
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  const today = isoToday();
  const fees = [...type.fee_versions].sort((a, b) => a.valid_from.localeCompare(b.valid_from));
  const current = feeOn(fees, today);

  return (
    <section className="card ms-card" aria-labelledby="ms-fees-heading">
      <div className="ms-section-head">
        <h2 id="ms-fees-heading">{t("memberships.fee.heading")}</h2>
        {can("POST", "/memberships/membership-types/{type_id}/fees") ? (
          <button type="button" className="btn" onClick={() => setAdding(true)}>
            {t("memberships.fee.add")}
          </button>
        ) : null}
      </div>
      <ol className="ms-timeline" aria-label={t("memberships.fee.timeline")}>
        {fees.map((fee, index) => {
          const next = fees[index + 1];
          const until = next ? addDays(next.valid_from, -1) : null;
          const state =
            fee === current ? "current" : fee.valid_from > today ? "upcoming" : "earlier";
          return (
            <li key={fee.valid_from} className={`ms-timeline-item ms-${state}`}>
              <span className="ms-timeline-dot" aria-hidden="true" />
              <div>
                <strong className="ms-amount">{money(fee.amount, fee.currency)}</strong>{" "}
                <span className={state === "current" ? "badge badge-ok" : state === "upcoming" ? "badge badge-warn" : "badge"}>
                  {t(`memberships.fee.${state}`)}
                </span>
              </div>
              <div className="ms-muted">
                {until
                  ? t("memberships.fee.range", { from: date(fee.valid_from), until: date(until) })
                  : t("memberships.fee.openRange", { from: date(fee.valid_from) })}
              </div>
            </li>
          );
        })}
      </ol>
      <AddFeeDialog
        open={adding}
        typeId={type.id}
        latest={fees.at(-1)?.valid_from}
        currency={fees.at(-1)?.currency ?? "EUR"}
        onClose={() => setAdding(false)}
      />
    </section>
  );
}

interface AddFeeDialogProps {
  open: boolean;
  typeId: string;
  latest: string | undefined;
  currency: string;
  onClose: () => void;
}

function AddFeeDialog({ open, typeId, latest, currency, onClose }: AddFeeDialogProps) {
  const { t, date } = useI18n();
  const add = useAddFee(typeId);
  const firstFree = latest ? addDays(latest, 1) : isoToday();
  const fresh = (): FeeDraft => ({
    amount: "",
    valid_from: firstFree > isoToday() ? firstFree : isoToday(),
    currency,
  });
  const [fee, setFee] = useState<FeeDraft>(fresh);
  const errors = add.error instanceof ApiError ? add.error.fieldErrors() : {};

  const close = () => {
    setFee(fresh());
    add.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ ...fee, amount: amountOf(fee.amount) }, { onSuccess: close });
  };

  return (
    <Dialog open={open} title={t("memberships.fee.add")} onClose={close}>
      <form className="form" onSubmit={submit} noValidate>
        <p>{t("memberships.fee.addBody")}</p>
        <FeeFields
          fee={fee}
          onChange={setFee}
          errors={errors}
          prefix=""
          minDate={firstFree}
          hint={latest ? t("memberships.fee.afterLatest", { date: date(latest) }) : undefined}
        />
        <ProblemAlert error={add.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={add.isPending || !fee.amount}>
            {add.isPending ? t("common.saving") : t("memberships.fee.addSubmit")}
          </button>
          <button type="button" className="btn" onClick={close}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
