// /contribution-runs/:runId — one run: live progress while the workers make its invoices
// (polled each second; invoices per second from the last two polls), then the result with
// the invoices it made and who it skipped.
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Loading, Page, Progress } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { useRun, useRunSkips, type Run, type RunSkip } from "./billingApi";
import { codeLabel } from "./labels";
import { RunStatusBadge } from "./RunStatusBadge";
import { SkipCounts } from "./SkipCounts";
import "./billing.css";

export default function ContributionRunPage() {
  const { runId = "" } = useParams();
  const { t, date } = useI18n();
  const run = useRun(runId);
  const rate = useInvoiceRate(run.data, run.dataUpdatedAt);
  const title = run.data
    ? t("billing.run.title", { period: date(run.data.period_day) })
    : t("billing.runs.title");
  return (
    <Page title={title}>
      {run.isPending ? <Loading /> : null}
      {run.data ? null : <ProblemAlert error={run.error} />}
      {run.data ? (
        <>
          <RunProgress run={run.data} rate={rate} />
          <RunFacts run={run.data} />
          <section className="card" aria-labelledby="run-skips">
            <h2 id="run-skips">{t("billing.skips.title")}</h2>
            <SkipCounts skipped={run.data.skipped} />
            <RunSkipList runId={runId} />
          </section>
        </>
      ) : null}
    </Page>
  );
}

/** Invoices per second between the last two polls; once the run is done, the API's figure
 * over the whole run. */
function useInvoiceRate(run: Run | undefined, updatedAt: number): number | null {
  const previous = useRef<{ at: number; count: number } | null>(null);
  const [rate, setRate] = useState<number | null>(null);
  const count = run?.invoices_created;
  useEffect(() => {
    if (count === undefined) return;
    const before = previous.current;
    if (before && updatedAt > before.at && count >= before.count) {
      setRate(((count - before.count) * 1000) / (updatedAt - before.at));
    }
    previous.current = { at: updatedAt, count };
  }, [count, updatedAt]);
  if (run?.status === "completed") return run.invoices_per_second ?? rate;
  return rate;
}

function RunProgress({ run, rate }: { run: Run; rate: number | null }) {
  const { t, number } = useI18n();
  const done = run.status === "completed";
  return (
    <section className="card run-progress" aria-labelledby="run-progress">
      <h2 id="run-progress">
        {t("billing.run.progress")} <RunStatusBadge run={run} />
      </h2>
      <Progress label={t("billing.run.items")} done={run.items_done} total={run.items} />
      <dl className="figures" aria-live="polite">
        <div>
          <dt>{t("billing.run.memberships")}</dt>
          <dd>
            {number(run.memberships_done)} / {number(run.memberships)}
          </dd>
        </div>
        <div>
          <dt>{t("billing.run.invoices")}</dt>
          <dd>{number(run.invoices_created)}</dd>
        </div>
        <div>
          <dt>{t("billing.run.rate")}</dt>
          <dd>{rate === null ? "—" : number(Math.round(rate * 10) / 10)}</dd>
        </div>
        <div>
          <dt>{t("billing.run.errors")}</dt>
          <dd className={run.errors > 0 ? "has-errors" : undefined}>{number(run.errors)}</dd>
        </div>
      </dl>
      {done ? (
        <div className="alert alert-success" role="status">
          <p>{t("billing.run.done", { count: number(run.invoices_created) })}</p>
          {run.invoices_created > 0 ? (
            <p>
              <Link to={`/invoices?run=${run.id}`}>{t("billing.run.showInvoices")}</Link>
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function RunFacts({ run }: { run: Run }) {
  const { t, date, dateTime, money } = useI18n();
  return (
    <section className="card" aria-labelledby="run-facts">
      <h2 id="run-facts">{t("billing.run.details")}</h2>
      <dl className="facts">
        <dt>{t("billing.run.periodDay")}</dt>
        <dd>{date(run.period_day)}</dd>
        <dt>{t("billing.run.referenceDay")}</dt>
        <dd>{date(run.reference_day)}</dd>
        <dt>{t("billing.invoice.issueDate")}</dt>
        <dd>{date(run.issue_date)}</dd>
        <dt>{t("billing.invoice.dueDate")}</dt>
        <dd>{date(run.due_date)}</dd>
        <dt>{t("billing.run.expectedTotal")}</dt>
        <dd>{money(run.expected_total)}</dd>
        <dt>{t("billing.run.startedAt")}</dt>
        <dd>{dateTime(run.started_at)}</dd>
        <dt>{t("billing.run.finishedAt")}</dt>
        <dd>{run.finished_at ? dateTime(run.finished_at) : "—"}</dd>
      </dl>
    </section>
  );
}

function RunSkipList({ runId }: { runId: string }) {
  const { t } = useI18n();
  const params = useListParams();
  const skips = useRunSkips(runId, params.offset, params.pageSize);
  const columns: ColumnDef<RunSkip, unknown>[] = [
    {
      id: "contact",
      header: t("billing.invoice.contact"),
      cell: ({ row }) => (
        <Link to={`/contacts/${row.original.contact_id}`}>{t("billing.skips.contact")}</Link>
      ),
    },
    {
      id: "reason",
      header: t("billing.skips.reason"),
      cell: ({ row }) => codeLabel(t, "reason", row.original.reason),
    },
    {
      id: "during_run",
      header: t("billing.skips.when"),
      cell: ({ row }) =>
        row.original.during_run ? t("billing.skips.duringRun") : t("billing.skips.planned"),
    },
  ];
  if (!skips.data?.total && !skips.isPending) return null;
  return (
    <>
      <ProblemAlert error={skips.error} />
      <DataTable
        columns={columns}
        rows={skips.data?.items ?? []}
        total={skips.data?.total ?? 0}
        params={params}
        caption={t("billing.skips.title")}
        busy={skips.isFetching}
      />
    </>
  );
}
