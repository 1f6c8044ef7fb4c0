// /contribution-runs — a new run (dry run first, then the run, which opens its progress) and
// the runs made before.
import type { ColumnDef } from "@tanstack/react-table";
import { Link, useNavigate } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { useRunList, type Run } from "./billingApi";
import { RunForm } from "./RunForm";
import { RunStatusBadge } from "./RunStatusBadge";
import "./billing.css";

export default function ContributionRunsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const params = useListParams();
  const runs = useRunList(params.offset, params.pageSize);
  const columns = useRunColumns();
  return (
    <Page title={t("billing.runs.title")}>
      {can("POST", "/billing/contribution-runs") ? (
        <RunForm onStarted={(run) => void navigate(`/contribution-runs/${run.id}`)} />
      ) : null}
      <section aria-labelledby="past-runs">
        <h2 id="past-runs">{t("billing.runs.past")}</h2>
        <ProblemAlert error={runs.error} />
        <DataTable
          columns={columns}
          rows={runs.data?.items ?? []}
          total={runs.data?.total ?? 0}
          params={params}
          caption={t("billing.runs.past")}
          busy={runs.isFetching}
        />
      </section>
    </Page>
  );
}

function useRunColumns(): ColumnDef<Run, unknown>[] {
  const { t, date, dateTime, number, money } = useI18n();
  return [
    {
      id: "started_at",
      header: t("billing.run.startedAt"),
      cell: ({ row }) => (
        <Link to={`/contribution-runs/${row.original.id}`}>{dateTime(row.original.started_at)}</Link>
      ),
    },
    {
      id: "period_day",
      header: t("billing.run.periodDay"),
      cell: ({ row }) => date(row.original.period_day),
    },
    {
      id: "status",
      header: t("billing.invoice.status"),
      cell: ({ row }) => <RunStatusBadge run={row.original} />,
    },
    {
      id: "invoices",
      header: t("billing.run.invoices"),
      cell: ({ row }) => number(row.original.invoices_created),
    },
    {
      id: "expected_total",
      header: t("billing.run.expectedTotal"),
      cell: ({ row }) => <span className="amount">{money(row.original.expected_total)}</span>,
    },
    {
      id: "errors",
      header: t("billing.run.errors"),
      cell: ({ row }) => number(row.original.errors),
    },
  ];
}
