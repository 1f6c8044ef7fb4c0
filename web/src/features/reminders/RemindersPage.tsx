// /reminders — payment reminders: the levels (days after the due date, the letter, the e-mail
// text) and a run: a dry run lists who would get which level, the run sends with progress.
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useTemplates } from "../letters/lettersApi";
import {
  useDryRun,
  useLevels,
  useRun,
  useSaveLevels,
  useStartRun,
  type LevelInput,
} from "./remindersApi";

export default function RemindersPage() {
  const { t } = useI18n();
  return (
    <Page title={t("reminders.title")}>
      <LevelsForm />
      <RunSection />
    </Page>
  );
}

function LevelsForm() {
  const { t } = useI18n();
  const { can } = useAuth();
  const levels = useLevels();
  const templates = useTemplates();
  const save = useSaveLevels();
  const [draft, setDraft] = useState<LevelInput[]>([]);
  useEffect(() => {
    if (levels.data) setDraft(levels.data.levels.map(({ template_name: _, ...level }) => level));
  }, [levels.data]);
  const mayEdit = can("PUT", "/billing/reminders/levels");
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const change = (index: number, patch: Partial<LevelInput>) =>
    setDraft((current) => current.map((level, i) => (i === index ? { ...level, ...patch } : level)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft);
  };
  return (
    <section className="card" aria-labelledby="reminder-levels">
      <h2 id="reminder-levels">{t("reminders.levels.title")}</h2>
      <ProblemAlert error={levels.error} />
      {levels.data ? (
        <p>
          {t("reminders.levels.placeholders")}{" "}
          {Object.keys(levels.data.placeholders)
            .map((name) => `{${name}}`)
            .join(" ")}
        </p>
      ) : null}
      <form onSubmit={submit}>
        {draft.map((level, index) => {
          const at = (field: string) => errors[`body.levels.${index}.${field}`];
          return (
            <fieldset key={level.level} className="card">
              <legend>{t("reminders.levelN", { level: level.level })}</legend>
              <Field label={t("reminders.levels.days")} error={at("days_overdue")} required>
                {(control) => (
                  <input
                    {...control}
                    type="number"
                    min={0}
                    value={level.days_overdue}
                    disabled={!mayEdit}
                    onChange={(e) => change(index, { days_overdue: Number(e.target.value) })}
                  />
                )}
              </Field>
              <Field label={t("reminders.levels.template")} error={at("template_id")} required>
                {(control) => (
                  <select
                    {...control}
                    value={level.template_id}
                    disabled={!mayEdit}
                    onChange={(e) => change(index, { template_id: e.target.value })}
                  >
                    {(templates.data ?? []).map((template) => (
                      <option key={template.id} value={template.id}>
                        {template.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t("reminders.levels.subject")} error={at("email_subject")} required>
                {(control) => (
                  <input
                    {...control}
                    value={level.email_subject}
                    disabled={!mayEdit}
                    onChange={(e) => change(index, { email_subject: e.target.value })}
                  />
                )}
              </Field>
              <Field label={t("reminders.levels.body")} error={at("email_body")} required>
                {(control) => (
                  <textarea
                    {...control}
                    rows={6}
                    value={level.email_body}
                    disabled={!mayEdit}
                    onChange={(e) => change(index, { email_body: e.target.value })}
                  />
                )}
              </Field>
            </fieldset>
          );
        })}
        {mayEdit ? (
          <>
            <ProblemAlert error={save.error} />
            {save.isSuccess ? <p role="status">{t("reminders.levels.saved")}</p> : null}
            <button type="submit" disabled={save.isPending}>
              {t("reminders.levels.save")}
            </button>
          </>
        ) : null}
      </form>
    </section>
  );
}

function RunSection() {
  const { t, date, money, number } = useI18n();
  const { can } = useAuth();
  const dryRun = useDryRun();
  const start = useStartRun();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [runId, setRunId] = useState<string | null>(null);
  const run = useRun(runId);
  if (!can("POST", "/billing/reminder-runs")) return null;
  const preview = dryRun.data;
  const check = () => {
    setRunId(null);
    setKey(crypto.randomUUID());
    dryRun.mutate();
  };
  const send = () => start.mutate(key, { onSuccess: (started) => setRunId(started.id) });
  return (
    <section className="card" aria-labelledby="reminder-run">
      <h2 id="reminder-run">{t("reminders.run.title")}</h2>
      <button type="button" onClick={check} disabled={dryRun.isPending}>
        {t("reminders.run.dryRun")}
      </button>
      <ProblemAlert error={dryRun.error ?? start.error} />
      {preview ? (
        <>
          <p role="status">{t("reminders.run.due", { count: preview.count })}</p>
          {preview.count > 0 ? (
            <table>
              <caption className="visually-hidden">{t("reminders.run.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("reminders.invoice")}</th>
                  <th scope="col">{t("reminders.name")}</th>
                  <th scope="col">{t("reminders.dueDate")}</th>
                  <th scope="col">{t("reminders.daysOverdue")}</th>
                  <th scope="col">{t("reminders.open")}</th>
                  <th scope="col">{t("reminders.level")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.reminders.map((due) => (
                  <tr key={due.invoice_id}>
                    <td>
                      <Link to={`/invoices/${due.invoice_id}`}>{due.number}</Link>
                    </td>
                    <td>{due.name}</td>
                    <td>{date(due.due_date)}</td>
                    <td>{number(due.days_overdue)}</td>
                    <td className="amount">{money(due.open_amount)}</td>
                    <td>{t("reminders.levelN", { level: due.level })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {preview.count > 0 && runId === null ? (
            <button type="button" onClick={send} disabled={start.isPending}>
              {t("reminders.run.send", { count: preview.count })}
            </button>
          ) : null}
        </>
      ) : null}
      {run.data ? (
        <div role="status" aria-live="polite">
          <p>
            {run.data.status === "running"
              ? t("reminders.run.progress", { done: run.data.done, planned: run.data.planned })
              : t("reminders.run.finished", {
                  sent: run.data.sent,
                  cancelled: run.data.cancelled,
                  failed: run.data.failed,
                })}
          </p>
          <progress max={Math.max(run.data.planned, 1)} value={run.data.done} />
        </div>
      ) : null}
    </section>
  );
}
