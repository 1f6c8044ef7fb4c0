// Export of the contacts the list's filters select, in its order and columns, as CSV or XLSX.
import { useMutation } from "@tanstack/react-query";

import { download } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import { queryBody, type ListQuery } from "./contactQuery";

type Format = "csv" | "xlsx";

export function ExportButtons({ query }: { query: ListQuery }) {
  const { t } = useI18n();
  const exporting = useMutation({
    mutationFn: (format: Format) =>
      download("/api/v1/contacts/contacts/query/export", `contacts.${format}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...queryBody(query), format }),
      }),
  });
  return (
    <div className="export-buttons">
      <div className="form-actions" role="group" aria-label={t("contacts.list.export")}>
        {(["csv", "xlsx"] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="btn"
            disabled={exporting.isPending}
            onClick={() => exporting.mutate(format)}
          >
            {t("contacts.list.exportAs", { format: format.toUpperCase() })}
          </button>
        ))}
      </div>
      <p role="status" className="muted">
        {exporting.isPending ? t("contacts.list.exporting") : ""}
      </p>
      <ProblemAlert error={exporting.error} />
    </div>
  );
}
