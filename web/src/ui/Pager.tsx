// Paging of a list: where we are, previous and next, and the page size. A server-paged list
// keeps its view in the URL (see useListParams); a list the browser already holds whole (a
// collection's thousands of invoices) pages in local state (usePaging).
import { useState } from "react";

import { useI18n } from "../i18n/i18n";
import type { ListParams } from "./useListParams";

type Paging = Pick<ListParams, "page" | "pageSize" | "setPage" | "setPageSize">;

interface PagerProps {
  params: Paging;
  total: number;
  /** The page sizes to choose from. */
  sizes?: readonly number[];
  className?: string;
}

export function Pager({ params, total, sizes = [25, 50, 100], className }: PagerProps) {
  const { t, number } = useI18n();
  const pages = Math.max(1, Math.ceil(total / params.pageSize));
  return (
    <nav className={className ? `pager ${className}` : "pager"} aria-label={t("common.table.pages")}>
      <span>
        {t("common.table.summary", {
          total: number(total),
          page: number(params.page),
          pages: number(pages),
        })}
      </span>
      <button
        type="button"
        className="btn"
        disabled={params.page <= 1}
        onClick={() => params.setPage(params.page - 1)}
      >
        {t("common.table.previous")}
      </button>
      <button
        type="button"
        className="btn"
        disabled={params.page >= pages}
        onClick={() => params.setPage(params.page + 1)}
      >
        {t("common.table.next")}
      </button>
      <label>
        {t("common.table.pageSize")}{" "}
        <select
          value={params.pageSize}
          onChange={(event) => params.setPageSize(Number(event.target.value))}
        >
          {sizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}

/** One page of `rows` held whole in the browser, and the paging to pass to a Pager. */
export function usePaging<Row>(rows: readonly Row[], initialSize = 50) {
  const [page, setPage] = useState(1);
  const [pageSize, setSize] = useState(initialSize);
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(page, pages);
  const paging: Paging = {
    page: current,
    pageSize,
    setPage,
    setPageSize: (size) => {
      setSize(size);
      setPage(1);
    },
  };
  const start = (current - 1) * pageSize;
  return { paging, shown: rows.slice(start, start + pageSize), total: rows.length };
}
