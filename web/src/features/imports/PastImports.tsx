// The imports and dry runs done before, newest first; each opens its report.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { Link, useNavigate } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { ProblemAlert } from "../../ui/Problem";
import { useImportJobs, type ImportJob } from "./importApi";
import { StatusBadge } from "./ImportReport";
import { usePrefixedListParams } from "./usePrefixedListParams";

export function PastImports() {
  const { t, number, dateTime } = useI18n();
  const navigate = useNavigate();
  const params = usePrefixedListParams("jobs");
  const jobs = useImportJobs(params.pageSize, params.offset);
  const columns = useMemo<ColumnDef<ImportJob, unknown>[]>(
    () => [
      {
        id: "created_at",
        header: t("imports.past.started"),
        cell: ({ row }) => dateTime(row.original.created_at),
      },
      {
        id: "file",
        header: t("imports.past.file"),
        cell: ({ row }) => (
          <Link to={`/imports?job=${row.original.id}`}>{row.original.file_name}</Link>
        ),
      },
      {
        id: "kind",
        header: t("imports.past.kind"),
        cell: ({ row }) => t(row.original.dry_run ? "imports.past.dryRun" : "imports.past.import"),
      },
      { id: "status", header: t("imports.past.status"), cell: ({ row }) => <StatusBadge job={row.original} /> },
      {
        id: "rows",
        header: t("imports.past.rows"),
        cell: ({ row }) => `${number(row.original.rows_done)} / ${number(row.original.total_rows)}`,
      },
      { id: "created", header: t("imports.count.created"), cell: ({ row }) => number(row.original.created) },
      {
        id: "duplicates",
        header: t("imports.count.duplicates"),
        cell: ({ row }) => number(row.original.duplicates),
      },
      { id: "refused", header: t("imports.count.refused"), cell: ({ row }) => number(row.original.refused) },
    ],
    [t, number, dateTime],
  );
  return (
    <section className="card" aria-labelledby="past-imports-title">
      <h2 id="past-imports-title">{t("imports.past.title")}</h2>
      <ProblemAlert error={jobs.error} />
      <DataTable
        columns={columns}
        rows={jobs.data?.items ?? []}
        total={jobs.data?.total ?? 0}
        params={params}
        caption={t("imports.past.title")}
        busy={jobs.isFetching}
        onRowOpen={(job) => void navigate(`/imports?job=${job.id}`)}
      />
    </section>
  );
}
