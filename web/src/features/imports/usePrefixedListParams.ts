// useListParams for a page that shows two lists at once: each keeps its page, size and
// filters in the URL under its own prefix ("rows.page", "jobs.page"), so a link reproduces both.
import { useCallback } from "react";
import { useSearchParams } from "react-router";

import type { ListParams } from "../../ui/useListParams";

export function usePrefixedListParams(prefix: string): ListParams {
  const [search, setSearch] = useSearchParams();
  const key = (name: string) => `${prefix}.${name}`;
  const page = Math.max(1, Number(search.get(key("page")) ?? 1) || 1);
  const pageSize = Number(search.get(key("size")) ?? 25) || 25;

  const update = useCallback(
    (changes: Record<string, string | undefined>) =>
      setSearch(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes)) {
            if (value === undefined || value === "") next.delete(`${prefix}.${name}`);
            else next.set(`${prefix}.${name}`, value);
          }
          return next;
        },
        { replace: true },
      ),
    [setSearch, prefix],
  );

  return {
    page,
    pageSize,
    sort: undefined,
    direction: "asc",
    offset: (page - 1) * pageSize,
    filter: (name) => search.get(key(name)) ?? "",
    setFilter: (name, value) => update({ [name]: value, page: undefined }),
    setPage: (next) => update({ page: String(next) }),
    setPageSize: (size) => update({ size: String(size), page: undefined }),
    setSort: () => undefined,
  };
}
