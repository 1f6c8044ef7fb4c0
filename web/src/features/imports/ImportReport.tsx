// A job's state as it goes: the progress bar, what became of the rows so far, the rows one by
// one (the refused ones first) and their errors as a CSV download. The same for a dry run.
import type { ColumnDef } from "@tanstack/react-table";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Loading, Progress } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import {
  errorsCsv,
  isRunning,
  OUTCOMES,
  refusedRows,
  saveText,
  useImportJob,
  useImportRows,
  type ImportJob,
  type ImportRowReport,
  type Outcome,
} from "./importApi";
import { usePrefixedListParams } from "./usePrefixedListParams";

export function ImportReport({ jobId }: { jobId: string }) {
  const { t } = useI18n();
  const job = useImportJob(jobId);
  const queryClient = useQueryClient();
  const status = job.data?.status;
  useEffect(() => {
    // The list of imports shows this job's status too.
    if (status) void queryClient.invalidateQueries({ queryKey: ["contact-imports", "list"] });
  }, [status, queryClient]);
  if (job.isPending) return <Loading />;
  if (job.isError) return <ProblemAlert error={job.error} />;
  const data = job.data;
  return (
    <div className="import-report">
      <JobProgress job={data} />
      <JobCounts job={data} />
      {data.status === "failed" ? (
        <p className="alert alert-error" role="alert">
          {t("imports.job.failed")}
        </p>
      ) : null}
      <ErrorsDownload job={data} />
      <RowsReport job={data} />
    </div>
  );
}

function JobProgress({ job }: { job: ImportJob }) {
  const { t, number } = useI18n();
  return (
    <div className="job-progress">
      <p className="job-status" role="status">
        <StatusBadge job={job} />{" "}
        {isRunning(job)
          ? t("imports.job.errorsSoFar", { refused: number(job.refused) })
          : job.status === "done"
            ? t(job.dry_run ? "imports.job.dryRunDone" : "imports.job.done", {
                total: number(job.total_rows),
              })
            : null}
      </p>
      <Progress label={t("imports.job.progress")} done={job.rows_done} total={job.total_rows} />
    </div>
  );
}

export function StatusBadge({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const tone =
    job.status === "done"
      ? "badge-ok"
      : job.status === "failed"
        ? "badge-danger"
        : "badge-warn";
  return <span className={`badge ${tone}`}>{t(`imports.status.${job.status}`)}</span>;
}

function JobCounts({ job }: { job: ImportJob }) {
  const { t, number } = useI18n();
  const prefix = job.dry_run ? "imports.wouldBe" : "imports.count";
  return (
    <dl className="job-counts">
      {(["created", "updated", "unchanged", "duplicates", "refused"] as const).map((count) => (
        <div key={count} className={count === "refused" && job.refused ? "job-count-bad" : undefined}>
          <dt>{t(`${prefix}.${count}`)}</dt>
          <dd>{number(job[count])}</dd>
        </div>
      ))}
    </dl>
  );
}

function ErrorsDownload({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (job.refused === 0) return null;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const rows = await refusedRows(job.id);
      const csv = errorsCsv([t("imports.rows.row"), t("imports.rows.reason")], rows);
      const base = job.file_name.replace(/\.[^.]+$/, "");
      saveText(csv, t("imports.errors.fileName", { file: base }));
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="errors-download">
      <button type="button" className="btn" disabled={busy} onClick={() => void save()}>
        {t("imports.errors.download", { count: job.refused })}
      </button>
      <ProblemAlert error={error} />
    </div>
  );
}

function RowsReport({ job }: { job: ImportJob }) {
  const { t, number } = useI18n();
  const params = usePrefixedListParams("rows");
  const outcome = (params.filter("outcome") || "refused") as Outcome | "all";
  const rows = useImportRows(
    job.id,
    outcome === "all" ? "" : outcome,
    params.pageSize,
    params.offset,
    job.rows_done,
  );
  const columns = useMemo<ColumnDef<ImportRowReport, unknown>[]>(
    () => [
      { id: "row", header: t("imports.rows.row"), cell: ({ row }) => number(row.original.row) },
      {
        id: "outcome",
        header: t("imports.rows.outcome"),
        cell: ({ row }) => t(`imports.outcome.${row.original.outcome}`),
      },
      {
        id: "reason",
        header: t("imports.rows.reason"),
        cell: ({ row }) => row.original.reason ?? "",
      },
      {
        id: "contact",
        header: t("imports.rows.contact"),
        cell: ({ row }) =>
          row.original.contact_id && !job.dry_run ? (
            <Link to={`/contacts/${row.original.contact_id}`}>{t("imports.rows.open")}</Link>
          ) : null,
      },
    ],
    [t, number, job.dry_run],
  );
  return (
    <section className="rows-report" aria-labelledby="rows-report-title">
      <h4 id="rows-report-title">{t("imports.rows.title")}</h4>
      <div className="toolbar">
        <label className="field">
          {t("imports.rows.show")}
          <select
            value={outcome}
            onChange={(event) =>
              params.setFilter("outcome", event.target.value === "refused" ? "" : event.target.value)
            }
          >
            <option value="refused">{t("imports.rows.onlyRefused")}</option>
            <option value="all">{t("imports.rows.all")}</option>
            {OUTCOMES.filter((o) => o !== "refused").map((o) => (
              <option key={o} value={o}>
                {t(`imports.outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ProblemAlert error={rows.error} />
      <DataTable
        columns={columns}
        rows={rows.data?.items ?? []}
        total={rows.data?.total ?? 0}
        params={params}
        caption={t("imports.rows.title")}
        busy={rows.isFetching}
      />
    </section>
  );
}
