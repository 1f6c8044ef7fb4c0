// /admin/audit — every change asked of the API (allowed or refused), newest first, paged on
// the server; the filters live in the URL, so a link reproduces the view.
import type { ColumnDef } from "@tanstack/react-table";
import { Fragment } from "react";

import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams, type ListParams } from "../../ui/useListParams";
import {
  AUDIT_METHODS,
  useAllUsers,
  useAuditList,
  type AuditEntry,
  type AuditMethod,
  type AuditQuery,
} from "./adminApi";
import { AuditFilters } from "./AuditFilters";
import { OUTCOME_BADGE, outcomeOf, useAdminLabels } from "./labels";
import "./admin.css";

/** A datetime-local value (the browser's own time) as the instant the API compares with. */
function instant(local: string): string | undefined {
  const at = new Date(local);
  return local && !Number.isNaN(at.getTime()) ? at.toISOString() : undefined;
}

/** The API's query for the filters in the URL. */
function auditQuery(params: ListParams): AuditQuery {
  const query: AuditQuery = { offset: params.offset, limit: params.pageSize };
  const method = params.filter("method");
  if (AUDIT_METHODS.includes(method as AuditMethod)) query.method = method as AuditMethod;
  const status = Number(params.filter("status"));
  if (Number.isInteger(status) && status >= 100 && status <= 599) query.status = status;
  if (params.filter("who")) query.user_id = params.filter("who");
  if (params.filter("route")) query.route = params.filter("route");
  if (params.filter("object")) query.object_id = params.filter("object");
  const since = instant(params.filter("since"));
  if (since) query.since = since;
  const until = instant(params.filter("until"));
  if (until) query.until = until;
  return query;
}

export default function AuditPage() {
  const { t } = useI18n();
  const params = useListParams();
  const entries = useAuditList(auditQuery(params));
  const users = useAllUsers();
  const emails = new Map((users.data?.items ?? []).map((user) => [user.id, user.email]));
  const columns = useAuditColumns(emails, params);
  return (
    <Page title={t("admin.audit.title")}>
      <p className="admin-intro">{t("admin.audit.intro")}</p>
      <AuditFilters
        // Starts over when the URL's texts change elsewhere (an object id clicked in the list).
        key={`${params.filter("route")}|${params.filter("object")}`}
        params={params}
        users={users.data?.items ?? []}
      />
      <ProblemAlert error={entries.error} />
      <DataTable
        columns={columns}
        rows={entries.data?.items ?? []}
        total={entries.data?.total ?? 0}
        params={params}
        caption={t("admin.audit.title")}
        busy={entries.isFetching}
      />
    </Page>
  );
}

function useAuditColumns(
  emails: Map<string, string>,
  params: ListParams,
): ColumnDef<AuditEntry, unknown>[] {
  const { t, dateTime } = useI18n();
  const labels = useAdminLabels();
  return [
    {
      id: "at",
      header: t("admin.audit.when"),
      cell: ({ row }) => <span className="admin-nowrap">{dateTime(row.original.at)}</span>,
    },
    {
      id: "who",
      header: t("admin.audit.who"),
      cell: ({ row }) => {
        const id = row.original.user_id;
        if (!id) return <span className="admin-muted">{t("admin.audit.nobody")}</span>;
        return emails.get(id) ?? <code title={id}>{id.slice(0, 8)}</code>;
      },
    },
    {
      id: "what",
      header: t("admin.audit.what"),
      cell: ({ row }) => (
        <span className="admin-route">
          <span className="admin-method">{row.original.method}</span>{" "}
          <RouteText route={row.original.route} />
        </span>
      ),
    },
    {
      id: "object",
      header: t("admin.audit.object"),
      cell: ({ row }) => {
        const id = row.original.object_id;
        if (!id) return "—";
        return (
          <button
            type="button"
            className="btn-link admin-code"
            title={t("admin.audit.onlyThisObject")}
            onClick={() => params.setFilter("object", id)}
          >
            {id}
          </button>
        );
      },
    },
    {
      id: "status",
      header: t("admin.audit.status"),
      cell: ({ row }) => {
        const outcome = outcomeOf(row.original.status);
        return (
          <span className={`${OUTCOME_BADGE[outcome]} admin-outcome`}>
            {labels.outcome(outcome)} · {row.original.status}
          </span>
        );
      },
    },
    {
      id: "request",
      header: t("admin.audit.requestId"),
      cell: ({ row }) => <code className="admin-code">{row.original.request_id}</code>,
    },
  ];
}

/** A route template that may wrap after each slash, never inside a word. */
function RouteText({ route }: { route: string }) {
  const parts = route.split("/");
  return parts.map((part, index) => (
    <Fragment key={index}>
      {part}
      {index < parts.length - 1 ? (
        <>
          /<wbr />
        </>
      ) : null}
    </Fragment>
  ));
}
