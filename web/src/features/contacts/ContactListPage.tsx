// The contact list: text and membership filters, sort, page and chosen columns all in the URL
// (a link reproduces the view); export of exactly the contacts the filters select.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n, type I18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { ColumnChooser } from "./ColumnChooser";
import type { ListNotice } from "./contactApi";
import {
  ALL_COLUMNS,
  DEFAULT_COLUMNS,
  SORTABLE,
  useContactList,
  type ListColumn,
  type ListQuery,
  type MemberFilter,
  type ResultRow,
} from "./contactQuery";
import { ContactListFilters } from "./ContactListFilters";
import { ExportButtons } from "./ExportButtons";
import { MembershipBadge } from "./MembershipBadge";
import "./contacts.css";

export default function ContactListPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const params = useListParams("name");
  const columns = useChosenColumns();
  const query: ListQuery = {
    text: params.filter("q"),
    member: memberFilterOf(params.filter("member")),
    sort: (SORTABLE as string[]).includes(params.sort ?? "") ? (params.sort as ListColumn) : "name",
    direction: params.direction,
    columns: columns.chosen,
  };
  const { rows, total } = useContactList(query, params.page, params.pageSize);
  const mayEdit = can("PATCH", "/contacts/contacts/{contact_id}");
  const tableColumns = useTableColumns(columns.chosen, mayEdit);

  return (
    <Page
      title={t("contacts.list.title")}
      actions={
        can("POST", "/contacts/contacts") ? (
          <Link to="/contacts/new" className="btn btn-primary">
            {t("contacts.list.new")}
          </Link>
        ) : null
      }
    >
      <Notice />
      <div className="toolbar contact-list-toolbar">
        <ContactListFilters
          text={query.text}
          member={query.member}
          onText={(text) => params.setFilter("q", text)}
          onMember={(member) => params.setFilter("member", member)}
        />
        <ColumnChooser chosen={columns.chosen} onChange={columns.choose} />
        {can("POST", "/contacts/contacts/query/export") ? <ExportButtons query={query} /> : null}
      </div>
      <ProblemAlert error={rows.error ?? total.error} />
<div className="contacts-table">
        <DataTable<ResultRow>
          columns={tableColumns}
          rows={rows.data?.items ?? []}
          total={total.data ?? 0}
          params={params}
          sortable={SORTABLE}
          caption={t("contacts.list.caption")}
          busy={rows.isFetching}
          onRowOpen={(row) => void navigate(`/contacts/${row.id}`)}
        />
      </div>
    </Page>
  );
}

/** What happened before the list opened (a contact deleted or erased from its profile). */
function Notice() {
  const { t } = useI18n();
  const { state } = useLocation() as { state: Partial<ListNotice> | null };
  if (!state?.notice) return null;
  return (
    <p className="alert alert-success" role="status">
      {state.notice === "erased" ? t("contacts.actions.erased") : t("contacts.actions.deleted")}
    </p>
  );
}

function memberFilterOf(value: string): MemberFilter {
  return value === "member" || value === "non_member" ? value : "";
}

/** The chosen columns, kept in the URL as `cols=name,emails,…` (the name always shows). */
function useChosenColumns() {
  const [search, setSearch] = useSearchParams();
  const listed = search.get("cols")?.split(",") ?? DEFAULT_COLUMNS;
  const chosen = ALL_COLUMNS.filter((column) => column === "name" || listed.includes(column));
  const choose = (next: ListColumn[]) =>
    setSearch(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set("cols", ALL_COLUMNS.filter((column) => next.includes(column)).join(","));
        return updated;
      },
      { replace: true },
    );
  return { chosen, choose };
}

function useTableColumns(chosen: ListColumn[], mayEdit: boolean): ColumnDef<ResultRow, unknown>[] {
  const i18n = useI18n();
  return useMemo(() => {
    const { t } = i18n;
    const columns: ColumnDef<ResultRow, unknown>[] = chosen.map((column) => ({
      id: column,
      header: t(`contacts.column.${column}`),
      cell: ({ row }) => <Cell column={column} row={row.original} i18n={i18n} />,
    }));
    if (mayEdit) {
      columns.push({
        id: "actions",
        header: () => <span className="visually-hidden">{t("contacts.list.actions")}</span>,
        cell: ({ row }) => (
          <Link
            to={`/contacts/${row.original.id}/edit`}
            aria-label={t("contacts.list.editOne", { name: nameOf(row.original) })}
            onClick={(event) => event.stopPropagation()}
          >
            {t("common.edit")}
          </Link>
        ),
      });
    }
    return columns;
  }, [chosen, mayEdit, i18n]);
}

const text = (value: unknown) => (typeof value === "string" ? value : "");
const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
const nameOf = (row: ResultRow) => `${text(row.first_name)} ${text(row.last_name)}`.trim();

function Cell({ column, row, i18n }: { column: ListColumn; row: ResultRow; i18n: I18n }) {
  switch (column) {
    case "name":
      return (
        <Link to={`/contacts/${row.id}`} onClick={(event) => event.stopPropagation()}>
          {nameOf(row) || "—"}
        </Link>
      );
    case "emails":
      return <>{list(row.emails).join(", ")}</>;
    case "groups":
      return <>{list(row.groups).join(", ")}</>;
    case "address":
      return <>{[text(row.street), text(row.number)].filter(Boolean).join(" ")}</>;
    case "birth_date":
      return <>{i18n.date(text(row.birth_date) || null)}</>;
    case "created_at":
    case "updated_at":
      return <>{i18n.dateTime(text(row[column]) || null)}</>;
    case "age":
      return <>{typeof row.age === "number" ? i18n.number(row.age) : ""}</>;
    case "membership":
      return (
        <MembershipBadge
          status={row.membership_status === "member" ? "member" : "non_member"}
          types={list(row.membership_types)}
        />
      );
    case "phone":
    case "postcode":
      return <span className="nowrap">{text(row[column])}</span>;
    default:
      return <>{text(row[column])}</>;
  }
}
