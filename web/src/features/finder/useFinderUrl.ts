// The search as the URL holds it, so a link reproduces it: the filter (`q`, base64url JSON),
// the columns (`cols`), the saved search it came from (`saved`); the sort, page and page size
// are the list's own (useListParams).
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

import { useListParams } from "../../ui/useListParams";
import {
  COLUMNS,
  DEFAULT_COLUMNS,
  SORT_OF_COLUMN,
  decodeFilter,
  encodeFilter,
  type ApiFilter,
  type ApiQuery,
  type Column,
  type SortKey,
} from "./filterTree";

/** `run` marks a search that was asked for (an empty filter then means every contact). */
export interface FinderUrl {
  ran: boolean;
  q: string;
  filter: ApiFilter | null | "invalid";
  columns: Column[];
  sort: SortKey[];
  savedId: string | null;
  list: ReturnType<typeof useListParams>;
  /** Runs a filter; with `savedId`, as that saved search. */
  run: (filter: ApiFilter | undefined, savedId?: string) => void;
  setColumns: (columns: Column[]) => void;
  open: (query: ApiQuery, savedId: string) => void;
  setSaved: (savedId: string | null) => void;
}

const DEFAULT_SORT_COLUMN = "last_name";

function columnsOf(text: string | null): Column[] {
  if (!text) return [...DEFAULT_COLUMNS];
  const chosen = text.split(",").filter((name): name is Column => COLUMNS.includes(name as Column));
  return chosen.length ? chosen : [...DEFAULT_COLUMNS];
}

/** The column that shows a sort field's values (the URL's sort names columns). */
function columnOfSort(field: string): string {
  const found = Object.entries(SORT_OF_COLUMN).find(([, sort]) => sort === field);
  return found ? found[0] : DEFAULT_SORT_COLUMN;
}

/** The URL's parts for a saved query: its filter, columns and first sort key. */
export function queryToSearch(query: ApiQuery, savedId?: string): URLSearchParams {
  const search = new URLSearchParams({ run: "1" });
  const q = encodeFilter(query.filter ?? undefined);
  if (q) search.set("q", q);
  if (query.columns?.length) search.set("cols", query.columns.join(","));
  const first = query.sort?.[0];
  if (first) {
    search.set("sort", columnOfSort(first.field));
    if (first.direction === "desc") search.set("dir", "desc");
  }
  if (savedId) search.set("saved", savedId);
  return search;
}

export function useFinderUrl(): FinderUrl {
  const [search, setSearch] = useSearchParams();
  const list = useListParams(DEFAULT_SORT_COLUMN);
  const q = search.get("q") ?? "";
  const filter = useMemo(() => decodeFilter(q), [q]);
  const colsText = search.get("cols");
  const columns = useMemo(() => columnsOf(colsText), [colsText]);
  const sortField = SORT_OF_COLUMN[(list.sort ?? DEFAULT_SORT_COLUMN) as Column] ?? "name";
  const sort = useMemo<SortKey[]>(
    () => [{ field: sortField, direction: list.direction }],
    [sortField, list.direction],
  );

  const run = useCallback(
    (next: ApiFilter | undefined, savedId?: string) =>
      setSearch((current) => {
        const url = new URLSearchParams(current);
        const encoded = encodeFilter(next);
        if (encoded) url.set("q", encoded);
        else url.delete("q");
        url.set("run", "1");
        url.delete("page");
        if (savedId) url.set("saved", savedId);
        return url;
      }),
    [setSearch],
  );

  const setColumns = useCallback(
    (next: Column[]) =>
      setSearch(
        (current) => {
          const url = new URLSearchParams(current);
          url.set("cols", next.join(","));
          return url;
        },
        { replace: true },
      ),
    [setSearch],
  );

  const open = useCallback(
    (query: ApiQuery, savedId: string) => setSearch(queryToSearch(query, savedId)),
    [setSearch],
  );

  const setSaved = useCallback(
    (savedId: string | null) =>
      setSearch(
        (current) => {
          const url = new URLSearchParams(current);
          if (savedId) url.set("saved", savedId);
          else url.delete("saved");
          return url;
        },
        { replace: true },
      ),
    [setSearch],
  );

  return {
    ran: search.get("run") === "1",
    q,
    filter,
    columns,
    sort,
    savedId: search.get("saved"),
    list,
    run,
    setColumns,
    open,
    setSaved,
  };
}
