// The matches in the chosen columns, a page at a time; the first column links to the contact.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { Link, useNavigate } from "react-router";

import { useI18n, type I18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/catalog";
import { DataTable } from "../../ui/DataTable";
import { ProblemAlert } from "../../ui/Problem";
import type { ListParams } from "../../ui/useListParams";
import { SORT_OF_COLUMN, type Column } from "./filterTree";
import { useResultPage, type ResultRow, type RunQuery } from "./finderApi";

const SORTABLE = Object.keys(SORT_OF_COLUMN);

function cellText(column: Column, value: unknown, i18n: I18n): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(String).join(", ");
  switch (column) {
    case "birth_date":
      return i18n.date(String(value));
    case "created_at":
    case "updated_at":
      return i18n.dateTime(String(value));
    case "age":
      return i18n.number(Number(value));
    case "membership_status":
      return value === "member" ? i18n.t("finder.status.member") : i18n.t("finder.status.nonMember");
    default:
      return String(value);
  }
}

interface ResultsTableProps {
  query: RunQuery;
  list: ListParams;
  total: number | undefined;
}

export function ResultsTable({ query, list, total }: ResultsTableProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const page = useResultPage(query, list.page, list.pageSize, true);
  const rows = (page.data?.items ?? []) as ResultRow[];

  const columns = useMemo<ColumnDef<ResultRow, unknown>[]>(
    () =>
      query.columns.map((column, index) => ({
        id: column,
        header: t(`finder.column.${column}` as MessageKey),
        cell: ({ row }) => {
          const text = cellText(column, row.original[column], i18n);
          if (index > 0) return text;
          return (
            <Link to={`/contacts/${String(row.original.id)}`} onClick={(e) => e.stopPropagation()}>
              {text || t("finder.results.open")}
            </Link>
          );
        },
      })),
    [query.columns, i18n, t],
  );

  return (
    <>
      <ProblemAlert error={page.error} />
      <DataTable
        columns={columns}
        rows={rows}
        total={total ?? (list.page - 1) * list.pageSize + rows.length}
        params={list}
        sortable={SORTABLE}
        caption={t("finder.results.caption")}
        onRowOpen={(row) => void navigate(`/contacts/${String(row.id)}`)}
        busy={page.isFetching}
      />
    </>
  );
}
