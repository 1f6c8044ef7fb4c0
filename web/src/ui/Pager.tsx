// Paging of a server-paged list: where we are, previous and next, and the page size; the view
// lives in the URL (see useListParams). Under a DataTable, or alone under a list of cards.
import { useI18n } from "../i18n/i18n";
import type { ListParams } from "./useListParams";

interface PagerProps {
  params: ListParams;
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
