// A contribution run's form: the period (a day in it), the reference day, the due day and the
// types. A dry run first shows what the run would do; the run starts only for the inputs the
// dry run showed.
import { useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import {
  useMembershipTypeChoices,
  usePreviewRun,
  useStartRun,
  type Run,
  type RunCreate,
} from "./billingApi";
import { isoToday } from "./labels";
import { RunPreviewView } from "./RunPreviewView";

interface TypeChoice {
  id: string;
  name: string;
}

export function RunForm({ onStarted }: { onStarted: (run: Run) => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [periodDay, setPeriodDay] = useState(isoToday());
  const [referenceDay, setReferenceDay] = useState("");
  const [dueDate, setDueDate] = useState("");
  const [typeIds, setTypeIds] = useState<string[]>([]);
  const preview = usePreviewRun();
  const start = useStartRun();
  const mayListTypes = can("GET", "/memberships/membership-types");
  const listedTypes = useMembershipTypeChoices(mayListTypes);
  // Without the right to list types, the types the dry run found are the choices.
  const [seenTypes, setSeenTypes] = useState<TypeChoice[]>([]);
  const types: TypeChoice[] = mayListTypes
    ? (listedTypes.data?.items ?? []).filter((type) => !type.archived)
    : seenTypes;

  const body: RunCreate = {
    period_day: periodDay,
    reference_day: referenceDay || null,
    due_date: dueDate || null,
    type_ids: typeIds.length ? typeIds : null,
  };
  const bodyKey = JSON.stringify(body);
  const [previewedKey, setPreviewedKey] = useState<string | null>(null);
  const previewIsCurrent = preview.data !== undefined && previewedKey === bodyKey;
  const error = start.error ?? preview.error;
  const errors = error instanceof ApiError ? error.fieldErrors() : {};

  const dryRun = (event: FormEvent) => {
    event.preventDefault();
    start.reset();
    preview.mutate(body, {
      onSuccess: (answer) => {
        setPreviewedKey(bodyKey);
        setSeenTypes((current) => {
          const known = new Map(current.map((type) => [type.id, type]));
          for (const type of answer.types) known.set(type.type_id, { id: type.type_id, name: type.name });
          return [...known.values()];
        });
      },
    });
  };

  const toggleType = (id: string, on: boolean) =>
    setTypeIds((current) => (on ? [...current, id] : current.filter((x) => x !== id)));

  return (
    <form className="card run-form" onSubmit={dryRun} noValidate aria-labelledby="run-form-title">
      <h2 id="run-form-title">{t("billing.run.new")}</h2>
      {error && !Object.keys(errors).length ? <ProblemAlert error={error} /> : null}
      <div className="form-grid">
        <Field
          label={t("billing.run.periodDay")}
          hint={t("billing.run.periodDayHint")}
          error={errors.period_day}
          required
        >
          {(control) => (
            <input
              {...control}
              type="date"
              value={periodDay}
              onChange={(event) => setPeriodDay(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("billing.run.referenceDay")}
          hint={t("billing.run.referenceDayHint")}
          error={errors.reference_day}
        >
          {(control) => (
            <input
              {...control}
              type="date"
              value={referenceDay}
              onChange={(event) => setReferenceDay(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("billing.run.dueDate")}
          hint={t("billing.run.dueDateHint")}
          error={errors.due_date}
        >
          {(control) => (
            <input
              {...control}
              type="date"
              value={dueDate}
              onChange={(event) => setDueDate(event.target.value)}
            />
          )}
        </Field>
      </div>
      <fieldset className="choice">
        <legend>{t("billing.run.types")}</legend>
        <p className="field-hint">{t("billing.run.typesHint")}</p>
        {types.length === 0 ? <p className="muted">{t("billing.run.typesAfterDryRun")}</p> : null}
        {types.map((type) => (
          <label key={type.id}>
            <input
              type="checkbox"
              checked={typeIds.includes(type.id)}
              onChange={(event) => toggleType(type.id, event.target.checked)}
            />{" "}
            {type.name}
          </label>
        ))}
        {errors.type_ids ? <p className="field-error">{errors.type_ids}</p> : null}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn" disabled={preview.isPending || !periodDay}>
          {preview.isPending ? t("billing.run.dryRunning") : t("billing.run.dryRun")}
        </button>
        {can("POST", "/billing/contribution-runs") ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={!previewIsCurrent || start.isPending || preview.data?.invoices === 0}
            onClick={() => start.mutate(body, { onSuccess: onStarted })}
          >
            {start.isPending ? t("billing.run.starting") : t("billing.run.start")}
          </button>
        ) : null}
      </div>
      {preview.data && !previewIsCurrent ? (
        <p className="field-hint">{t("billing.run.previewOutdated")}</p>
      ) : null}
      {preview.data ? <RunPreviewView preview={preview.data} stale={!previewIsCurrent} /> : null}
    </form>
  );
}
