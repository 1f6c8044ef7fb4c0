// /reminders — payment reminders: a run (a dry run lists who is due for which level, the run
// sends them with progress and each reminder's outcome on its row), the latest runs, and the
// levels (days after the due date, the letter, the e-mail text).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Loading, Page, Progress } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useTemplates } from "../letters/lettersApi";
import {
  useDryRun,
  useLevels,
  useRun,
  useRuns,
  useSaveLevels,
  useStartRun,
  type LevelInput,
  type Reminder,
  type ReminderPreview,
  type ReminderRun,
} from "./remindersApi";
import { STATUS_BADGES } from "./statusBadges";
import "./reminders.css";

export default function RemindersPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  return (
    <Page title={t("reminders.title")}>
      <p className="rm-intro">{t("reminders.intro")}</p>
      {can("POST", "/billing/reminder-runs") ? <RunSection /> : null}
      <RecentRuns />
      <LevelsForm />
    </Page>
  );
}

function StatusBadge({ status, text }: { status: string; text: string }) {
  return <span className={STATUS_BADGES[status] ?? "badge"}>{text}</span>;
}

function RunSection() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const dryRun = useDryRun();
  const start = useStartRun();
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [runId, setRunId] = useState<string | null>(null);
  const run = useRun(runId);
  const progressRef = useRef<HTMLDivElement>(null);
  const preview = dryRun.data;
  const check = () => {
    setRunId(null);
    start.reset();
    setKey(crypto.randomUUID());
    dryRun.mutate();
  };
  const send = () =>
    start.mutate(key, {
      onSuccess: (started) => {
        setRunId(started.id);
        void queryClient.invalidateQueries({ queryKey: ["reminders", "runs"] });
      },
    });
  // The send button goes once the run started: keyboard focus moves to the progress.
  useEffect(() => {
    if (runId !== null) progressRef.current?.focus();
  }, [runId]);
  return (
    <section className="card rm-card" aria-labelledby="reminder-run">
      <h2 id="reminder-run">{t("reminders.run.title")}</h2>
      <p className="rm-muted">{t("reminders.run.hint")}</p>
      <div className="rm-actions">
        <button type="button" className="btn" onClick={check} disabled={dryRun.isPending}>
          {t("reminders.run.dryRun")}
        </button>
        {preview ? <p role="status">{t("reminders.run.due", { count: preview.count })}</p> : null}
      </div>
      <ProblemAlert error={dryRun.error} />
      {preview && preview.count > 0 ? (
        <DueTable preview={preview} run={run.data ?? null} />
      ) : null}
      {preview && preview.count > 0 && runId === null ? (
        <div className="rm-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={send}
            disabled={start.isPending}
          >
            {t("reminders.run.send", { count: preview.count })}
          </button>
        </div>
      ) : null}
      <ProblemAlert error={start.error} />
      <div ref={progressRef} tabIndex={-1} className="rm-progress" role="status" aria-live="polite">
        {run.data ? <RunProgress run={run.data} /> : null}
      </div>
      <ProblemAlert error={run.error} />
    </section>
  );
}

function RunProgress({ run }: { run: ReminderRun }) {
  const { t } = useI18n();
  if (run.status === "running") {
    return (
      <Progress
        label={t("reminders.run.progress", { done: run.done, planned: run.planned })}
        done={run.done}
        total={run.planned}
      />
    );
  }
  return (
    <>
      <p className={run.failed > 0 ? "alert alert-warning" : "alert alert-success"}>
        {t("reminders.run.finished", {
          sent: run.sent,
          cancelled: run.cancelled,
          failed: run.failed,
        })}
      </p>
      {run.planned > run.done ? (
        <p className="alert alert-warning">
          {t("reminders.run.unsure", { count: run.planned - run.done })}
        </p>
      ) : null}
      {run.error ? <p className="alert alert-error">{run.error}</p> : null}
    </>
  );
}

function DueTable({ preview, run }: { preview: ReminderPreview; run: ReminderRun | null }) {
  const { t, date, money, number } = useI18n();
  const outcome = new Map<string, Reminder>(
    (run?.reminders ?? []).map((reminder) => [reminder.invoice_id, reminder]),
  );
  return (
    <div className="table-wrap rm-table">
      <table className="data-table">
        <caption className="visually-hidden">{t("reminders.run.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("reminders.invoice")}</th>
            <th scope="col">{t("reminders.name")}</th>
            <th scope="col">{t("reminders.dueDate")}</th>
            <th scope="col">{t("reminders.daysOverdue")}</th>
            <th scope="col" className="amount">
              {t("reminders.open")}
            </th>
            <th scope="col">{t("reminders.level")}</th>
            <th scope="col">{t("reminders.status")}</th>
          </tr>
        </thead>
        <tbody>
          {preview.reminders.map((due) => {
            const reminder = outcome.get(due.invoice_id);
            return (
              <tr key={due.invoice_id}>
                <td>
                  <Link to={`/invoices/${due.invoice_id}`}>{due.number}</Link>
                </td>
                <td>{due.name}</td>
                <td>{date(due.due_date)}</td>
                <td>{number(due.days_overdue)}</td>
                <td className="amount">{money(due.open_amount)}</td>
                <td>{t("reminders.levelN", { level: due.level })}</td>
                <td>
                  {reminder ? (
                    <>
                      <StatusBadge
                        status={reminder.status}
                        text={
                          // Pending in a finished run: cut off by a crash after or before the mail.
                          reminder.status === "pending" && run?.status !== "running"
                            ? t("reminders.statuses.unsure")
                            : t(`reminders.statuses.${reminder.status}`)
                        }
                      />
                      {reminder.reason ? (
                        <span className="rm-reason">{reminder.reason}</span>
                      ) : null}
                    </>
                  ) : (
                    <span className="rm-muted">{t("reminders.run.notYet")}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RecentRuns() {
  const { t, date, dateTime, number } = useI18n();
  const runs = useRuns();
  const items = runs.data?.items ?? [];
  return (
    <section className="card rm-card" aria-labelledby="reminder-runs">
      <h2 id="reminder-runs">{t("reminders.runs.title")}</h2>
      <ProblemAlert error={runs.error} />
      {runs.isPending ? <Loading /> : null}
      {runs.data && items.length === 0 ? (
        <p className="rm-muted">{t("reminders.runs.none")}</p>
      ) : null}
      {items.length > 0 ? (
        <div className="table-wrap rm-table">
          <table className="data-table">
            <caption className="visually-hidden">{t("reminders.runs.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("reminders.runs.day")}</th>
                <th scope="col">{t("reminders.runs.started")}</th>
                <th scope="col">{t("reminders.status")}</th>
                <th scope="col">{t("reminders.runs.progress")}</th>
                <th scope="col">{t("reminders.statuses.sent")}</th>
                <th scope="col">{t("reminders.statuses.cancelled")}</th>
                <th scope="col">{t("reminders.statuses.failed")}</th>
              </tr>
            </thead>
            <tbody>
              {items.slice(0, 10).map((run) => (
                <tr key={run.id}>
                  <td>{date(run.run_on)}</td>
                  <td>{dateTime(run.started_at)}</td>
                  <td>
                    <StatusBadge
                      status={run.status}
                      text={t(`reminders.runs.status.${run.status}`)}
                    />
                  </td>
                  <td>
                    {number(run.done)} / {number(run.planned)}
                  </td>
                  <td>{number(run.sent)}</td>
                  <td>{number(run.cancelled)}</td>
                  <td>{number(run.failed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
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
  const change = (index: number, patch: Partial<LevelInput>) => {
    if (save.isSuccess) save.reset();
    setDraft((current) => current.map((level, i) => (i === index ? { ...level, ...patch } : level)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(draft);
  };
  return (
    <section className="card rm-card" aria-labelledby="reminder-levels">
      <h2 id="reminder-levels">{t("reminders.levels.title")}</h2>
      <ProblemAlert error={levels.error ?? templates.error} />
      {levels.isPending ? <Loading /> : null}
      {levels.data ? (
        <>
          <p className="rm-muted">
            {levels.data.defaults ? t("reminders.levels.defaults") : t("reminders.levels.hint")}
          </p>
          <p id="reminder-placeholders">{t("reminders.levels.placeholders")}</p>
          <ul className="rm-placeholders" aria-labelledby="reminder-placeholders">
            {Object.keys(levels.data.placeholders).map((name) => (
              <li key={name}>
                <code>{`{${name}}`}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <form onSubmit={submit} noValidate>
        <div className="rm-levels">
          {draft.map((level, index) => (
            <LevelFields
              key={level.level}
              level={level}
              errorOf={(field) => errors[`levels.${index}.${field}`]}
              disabled={!mayEdit}
              onChange={(patch) => change(index, patch)}
            />
          ))}
        </div>
        {mayEdit && draft.length > 0 ? (
          <>
            <ProblemAlert error={save.error} />
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={save.isPending}>
                {t("reminders.levels.save")}
              </button>
              <p role="status" className="rm-saved">
                {save.isSuccess ? t("reminders.levels.saved") : ""}
              </p>
            </div>
          </>
        ) : null}
      </form>
    </section>
  );
}

interface LevelFieldsProps {
  level: LevelInput;
  errorOf: (field: string) => string | undefined;
  disabled: boolean;
  onChange: (patch: Partial<LevelInput>) => void;
}

function LevelFields({ level, errorOf, disabled, onChange }: LevelFieldsProps) {
  const { t } = useI18n();
  const templates = useTemplates();
  return (
    <fieldset className="rm-level">
      <legend>{t("reminders.levelN", { level: level.level })}</legend>
      <div className="form-grid">
        <Field label={t("reminders.levels.days")} error={errorOf("days_overdue")} required>
          {(control) => (
            <input
              {...control}
              type="number"
              min={0}
              value={level.days_overdue}
              disabled={disabled}
              onChange={(e) => onChange({ days_overdue: Number(e.target.value) })}
            />
          )}
        </Field>
        <Field label={t("reminders.levels.template")} error={errorOf("template_id")} required>
          {(control) => (
            <select
              {...control}
              value={level.template_id}
              disabled={disabled}
              onChange={(e) => onChange({ template_id: e.target.value })}
            >
              {(templates.data ?? []).map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label={t("reminders.levels.subject")} error={errorOf("email_subject")} required>
        {(control) => (
          <input
            {...control}
            value={level.email_subject}
            disabled={disabled}
            onChange={(e) => onChange({ email_subject: e.target.value })}
          />
        )}
      </Field>
      <Field label={t("reminders.levels.body")} error={errorOf("email_body")} required>
        {(control) => (
          <textarea
            {...control}
            rows={7}
            value={level.email_body}
            disabled={disabled}
            onChange={(e) => onChange({ email_body: e.target.value })}
          />
        )}
      </Field>
    </fieldset>
  );
}
