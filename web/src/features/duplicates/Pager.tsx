// Paging of a list that is not a table (the pairs are cards), with the view in the URL.
import { useI18n } from "../../i18n/i18n";
import type { ListParams } from "../../ui/useListParams";

export function Pager({ params, total }: { params: ListParams; total: number }) {
  const { t, number } = useI18n();
  const pages = Math.max(1, Math.ceil(total / params.pageSize));
  return (
    <nav className="pager card" aria-label={t("common.table.pages")}>
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
          {[10, 25, 50].map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
