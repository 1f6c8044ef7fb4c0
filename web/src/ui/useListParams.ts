// A list's page, page size, sort and filters kept in the URL's query string.
import { useCallback } from "react";
import { useSearchParams } from "react-router";

export interface ListParams {
  page: number;
  pageSize: number;
  sort: string | undefined;
  direction: "asc" | "desc";
  offset: number;
  filter: (name: string) => string;
  setFilter: (name: string, value: string) => void;
  setPage: (page: number) => void;
  setPageSize: (size: number) => void;
  setSort: (column: string) => void;
}

export function useListParams(defaultSort?: string): ListParams {
  const [search, setSearch] = useSearchParams();
  const page = Math.max(1, Number(search.get("page") ?? 1) || 1);
  const pageSize = Number(search.get("size") ?? 25) || 25;
  const sort = search.get("sort") ?? defaultSort;
  const direction = search.get("dir") === "desc" ? "desc" : "asc";

  const update = useCallback(
    (changes: Record<string, string | undefined>) =>
      setSearch((current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === undefined || value === "") next.delete(key);
          else next.set(key, value);
        }
        return next;
      }),
    [setSearch],
  );

  return {
    page,
    pageSize,
    sort,
    direction,
    offset: (page - 1) * pageSize,
    filter: (name) => search.get(name) ?? "",
    // A new filter starts at page 1.
    setFilter: (name, value) => update({ [name]: value, page: undefined }),
    setPage: (next) => update({ page: String(next) }),
    setPageSize: (size) => update({ size: String(size), page: undefined }),
    setSort: (column) =>
      update({
        sort: column,
        dir: sort === column && direction === "asc" ? "desc" : "asc",
        page: undefined,
      }),
  };
}
