// The import jobs of the contacts service: start one (multipart upload), follow it while it
// runs, read its per-row report, and turn its refused rows into a CSV file.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, apiFetch, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import type { ImportField } from "./mappingSuggestions";

export type ImportJob = components["schemas"]["contacts.ImportJob"];
export type ImportRowReport = components["schemas"]["contacts.ImportRowReport"];
export type Outcome = ImportRowReport["outcome"];
export const OUTCOMES: readonly Outcome[] = ["created", "updated", "unchanged", "duplicate", "refused"];

export const importKeys = {
  all: ["contact-imports"] as const,
  list: (limit: number, offset: number) => ["contact-imports", "list", limit, offset] as const,
  job: (id: string) => ["contact-imports", "job", id] as const,
  rows: (id: string, outcome: string, limit: number, offset: number) =>
    ["contact-imports", "rows", id, outcome, limit, offset] as const,
};

export function isRunning(job: ImportJob | undefined): boolean {
  return job?.status === "queued" || job?.status === "running";
}

export async function startImport(
  file: File,
  mapping: Record<string, ImportField>,
  dryRun: boolean,
): Promise<ImportJob> {
  const form = new FormData();
  form.append("file", file, file.name);
  form.append("mapping", JSON.stringify(mapping));
  form.append("dry_run", String(dryRun));
  const response = await apiFetch("/api/v1/contacts/contact-imports", {
    method: "POST",
    body: form,
  });
  return (await response.json()) as ImportJob;
}

/** One job, asked again every second while it is queued or running. */
export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: importKeys.job(id ?? ""),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/contact-imports/{import_id}", {
          params: { path: { import_id: id ?? "" } },
          signal,
        }),
      ),
    enabled: Boolean(id),
    refetchInterval: (query) => (isRunning(query.state.data) ? 1000 : false),
    staleTime: 0,
  });
}

export function useImportRows(
  id: string,
  outcome: Outcome | "",
  limit: number,
  offset: number,
  /** Changes while the job runs, so the report follows it. */
  rowsDone: number,
) {
  return useQuery({
    queryKey: [...importKeys.rows(id, outcome, limit, offset), rowsDone],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/contact-imports/{import_id}/rows", {
          params: {
            path: { import_id: id },
            query: { limit, offset, ...(outcome ? { outcome } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useImportJobs(limit: number, offset: number) {
  return useQuery({
    queryKey: importKeys.list(limit, offset),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/contact-imports", {
          params: { query: { limit, offset } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    // A job still under way changes the list.
    refetchInterval: (query) => (query.state.data?.items.some(isRunning) ? 2000 : false),
  });
}

const PAGE = 500;

/** Every refused row of a job, a page at a time (the API gives at most 500 a page). */
export async function refusedRows(id: string): Promise<ImportRowReport[]> {
  const rows: ImportRowReport[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await unwrap(
      api.GET("/api/v1/contacts/contact-imports/{import_id}/rows", {
        params: { path: { import_id: id }, query: { outcome: "refused", limit: PAGE, offset } },
      }),
    );
    rows.push(...page.items);
    if (page.items.length < PAGE || rows.length >= page.total) return rows;
  }
}

function csvCell(value: string): string {
  // A spreadsheet must not run a reason as a formula (as the API's own exports do).
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function errorsCsv(header: [string, string], rows: ImportRowReport[]): string {
  const lines = [header, ...rows.map((row) => [String(row.row), row.reason ?? ""])];
  // A byte order mark, so spreadsheets read it as UTF-8.
  return "\uFEFF" + lines.map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export function saveText(text: string, name: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
