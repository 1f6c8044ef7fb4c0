// A server-paged, server-sorted list on TanStack Table: the page, sort and page size live in the
// URL (see useListParams), so a link reproduces the view.
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
} from "@tanstack/react-table";

import { EmptyRow } from "./EmptyRow";
import { Pager } from "./Pager";
import type { ListParams } from "./useListParams";

interface DataTableProps<Row> {
  columns: ColumnDef<Row, unknown>[];
  rows: Row[];
  total: number;
  params: ListParams;
  /** Columns the API can sort on, by column id. */
  sortable?: readonly string[];
  caption: string;
  onRowOpen?: (row: Row) => void;
  busy?: boolean;
}

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { params } = props;
  const table = useReactTable({
    data: props.rows,
    columns: props.columns,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
  });
  return (
    <div className="table-wrap" aria-busy={props.busy}>
      <table className="data-table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const id = header.column.id;
                const sorted = params.sort === id ? params.direction : undefined;
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={
                      sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined
                    }
                  >
                    {props.sortable?.includes(id) ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() => params.setSort(id)}
                      >
                        {label}
                        <span aria-hidden="true">
                          {sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : ""}
                        </span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              className={props.onRowOpen ? "row-link" : undefined}
              onClick={props.onRowOpen ? () => props.onRowOpen?.(row.original) : undefined}
            >
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
          {props.rows.length === 0 && !props.busy ? <EmptyRow columns={props.columns.length} /> : null}
        </tbody>
      </table>
      <Pager params={params} total={props.total} />
    </div>
  );
}
