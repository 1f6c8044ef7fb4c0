// The whole result list as a file, in the chosen columns and order (the API streams it).
import { useMutation } from "@tanstack/react-query";

import { download } from "../../api/client";
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import type { RunQuery } from "./finderApi";

type Format = "csv" | "xlsx";

export function ExportActions({ query }: { query: RunQuery }) {
  const { t } = useI18n();
  const exporting = useMutation({
    mutationFn: (format: Format) =>
      download("/api/v1/contacts/contacts/query/export", `kring-contacts.${format}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          ...(query.filter ? { filter: query.filter } : {}),
          sort: query.sort,
          columns: query.columns,
          format,
        }),
      }),
  });
  const busy = exporting.isPending ? exporting.variables : null;
  return (
    <div className="finder-export">
      <div className="finder-buttons" role="group" aria-label={t("finder.export.label")}>
        {(["csv", "xlsx"] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="btn"
            disabled={exporting.isPending}
            aria-busy={busy === format}
            onClick={() => exporting.mutate(format)}
          >
            {busy === format ? t("finder.export.busy") : t(`finder.export.${format}`)}
          </button>
        ))}
      </div>
      <ProblemAlert error={exporting.error} />
    </div>
  );
}
