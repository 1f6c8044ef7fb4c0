// Letters (billing): templates with merge fields, a PDF preview, and jobs that make letters for
// a list of contacts with progress.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, apiFetch, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

export type TemplateSummary = components["schemas"]["billing.TemplateSummaryOut"];
export type Template = components["schemas"]["billing.TemplateOut"];
export type LetterJob = components["schemas"]["billing.JobOut"];
export type MergeFields = components["schemas"]["billing.MergeFieldsOut"];
export type TemplateInput = components["schemas"]["billing.TemplateIn"];

export const TEMPLATES_KEY = ["letters", "templates"];
// How often a running job's progress is asked for.
const POLL_MS = 700;

export function useTemplates(enabled = true) {
  return useQuery({
    queryKey: TEMPLATES_KEY,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/billing/letters/templates", { signal })),
    enabled,
  });
}

export function useTemplate(templateId: string) {
  return useQuery({
    queryKey: [...TEMPLATES_KEY, templateId],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/letters/templates/{template_id}", {
          params: { path: { template_id: templateId } },
          signal,
        }),
      ),
  });
}

export function useMergeFields() {
  return useQuery({
    queryKey: ["letters", "merge-fields"],
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/billing/letters/merge-fields", { signal })),
    staleTime: Infinity,
  });
}

/** A new template of the club's own, made from the text of another (a shipped one, say). */
export function useCopyTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TemplateInput) =>
      unwrap(api.POST("/api/v1/billing/letters/templates", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY }),
  });
}

export function useSaveTemplate(templateId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TemplateInput) =>
      unwrap(
        api.PUT("/api/v1/billing/letters/templates/{template_id}", {
          params: { path: { template_id: templateId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY }),
  });
}

export interface PreviewRequest {
  html: string;
  css: string;
  contact_id?: string;
  period_start?: string;
  period_end?: string;
  format?: "pdf" | "png";
}

/** The letter (page 1 as PNG by default) as a blob URL (the caller revokes it), or an ApiError with field errors. */
export async function previewUrl(request: PreviewRequest, signal?: AbortSignal): Promise<string> {
  const response = await apiFetch("/api/v1/billing/letters/preview", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ format: "png", ...request }),
    signal: signal ?? null,
  });
  return URL.createObjectURL(await response.blob());
}

export interface JobRequest {
  template_id: string;
  contact_ids: string[];
  output_format: "pdf" | "zip";
  period_start?: string;
  period_end?: string;
}

export function startJob(body: JobRequest): Promise<LetterJob> {
  return unwrap(api.POST("/api/v1/billing/letters/jobs", { body }));
}

/** A job's progress, asked for until it is done or failed. */
export function useJob(jobId: string | null) {
  return useQuery({
    queryKey: ["letters", "jobs", jobId],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/letters/jobs/{job_id}", {
          params: { path: { job_id: jobId ?? "" } },
          signal,
        }),
      ),
    enabled: jobId !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "done" || status === "failed" ? false : POLL_MS;
    },
  });
}
