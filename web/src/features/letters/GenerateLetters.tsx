// Make a letter for a list of contacts (one contact from the profile, or every match of a
// search): a template, the period and the output chosen, then a job whose progress bar runs
// to done and a download of one PDF or a zip of one PDF per contact.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";

import { download } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Progress } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { startJob, useJob, useTemplates } from "./lettersApi";
import "./letters.css";

interface GenerateLettersProps {
  /** The contacts to write to; resolved when the person starts (a search's matches). */
  contactIds: () => Promise<string[]>;
  /** How many there are, to say so on the button. */
  count: number;
}

const thisYear = () => new Date().getFullYear();

export function GenerateLetters({ contactIds, count }: GenerateLettersProps) {
  const { t, number } = useI18n();
  const headingId = useId();
  const templates = useTemplates();
  const [templateId, setTemplateId] = useState("");
  const [periodStart, setPeriodStart] = useState(`${thisYear()}-01-01`);
  const [periodEnd, setPeriodEnd] = useState(`${thisYear()}-12-31`);
  const [format, setFormat] = useState<"pdf" | "zip">("pdf");
  const start = useMutation({
    mutationFn: async () =>
      startJob({
        template_id: templateId,
        contact_ids: await contactIds(),
        output_format: format,
        period_start: periodStart,
        period_end: periodEnd,
      }),
  });
  const job = useJob(start.data?.id ?? null);
  const progress = job.data ?? start.data;
  const fetchOutput = useMutation({
    mutationFn: (path: string) => download(`/api/v1/billing${path}`, `letters.${format}`),
  });
  const chosen = templateId || templates.data?.[0]?.id || "";

  return (
    <section className="letters-generate" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("letters.generate.title", { count: number(count) })}</h3>
      <div className="toolbar">
        <Field label={t("letters.generate.template")}>
          {(control) => (
            <select {...control} value={chosen} onChange={(e) => setTemplateId(e.target.value)}>
              {(templates.data ?? []).map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("letters.period.start")}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={periodStart}
              onChange={(e) => setPeriodStart(e.target.value)}
            />
          )}
        </Field>
        <Field label={t("letters.period.end")}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={periodEnd}
              onChange={(e) => setPeriodEnd(e.target.value)}
            />
          )}
        </Field>
        <Field label={t("letters.generate.format")}>
          {(control) => (
            <select
              {...control}
              value={format}
              onChange={(e) => setFormat(e.target.value === "zip" ? "zip" : "pdf")}
            >
              <option value="pdf">{t("letters.generate.onePdf")}</option>
              <option value="zip">{t("letters.generate.zip")}</option>
            </select>
          )}
        </Field>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!chosen || count === 0 || start.isPending}
          onClick={() => start.mutate()}
        >
          {t("letters.generate.start", { count: number(count) })}
        </button>
      </div>
      <div role="status">
        {progress ? (
          <Progress
            label={t(`letters.job.${progress.status}`)}
            done={progress.done}
            total={progress.total}
          />
        ) : null}
        {progress?.status === "done" && progress.download_url ? (
          <p>
            <button
              type="button"
              className="btn"
              onClick={() => fetchOutput.mutate(progress.download_url ?? "")}
            >
              {t("letters.job.download", { count: number(progress.rendered ?? 0) })}
            </button>
          </p>
        ) : null}
        {progress?.status === "failed" ? (
          <p className="alert alert-error">{progress.error}</p>
        ) : null}
      </div>
      <ProblemAlert error={start.error ?? job.error ?? fetchOutput.error} />
    </section>
  );
}
