// Payment reminders (billing): levels, runs (dry run first), and an invoice's history.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Levels = Schemas["billing.LevelsOut"];
export type LevelInput = Schemas["billing.LevelIn"];
export type ReminderPreview = Schemas["billing.ReminderPreview"];
export type ReminderRun = Schemas["billing.ReminderRunDetail"];
export type Reminder = Schemas["billing.ReminderOut"];
export type ReminderRunSummary = Schemas["billing.ReminderRunOut"];

const LEVELS_KEY = ["reminders", "levels"];
// How often a running run's progress is asked for.
const POLL_MS = 700;

export function useLevels() {
  return useQuery({
    queryKey: LEVELS_KEY,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/billing/reminders/levels", { signal })),
  });
}

export function useSaveLevels() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (levels: LevelInput[]) =>
      unwrap(api.PUT("/api/v1/billing/reminders/levels", { body: { levels } })),
    onSuccess: (saved) => queryClient.setQueryData(LEVELS_KEY, saved),
  });
}

export function useDryRun() {
  return useMutation({
    mutationFn: async () =>
      (await unwrap(
        api.POST("/api/v1/billing/reminder-runs", { body: { dry_run: true } }),
      )) as ReminderPreview,
  });
}

/** A run, sent with the Idempotency-Key of the preview it confirms: a double click or a retry
 * answers the same run. */
export function useStartRun() {
  return useMutation({
    mutationFn: async (key: string) =>
      (await unwrap(
        api.POST("/api/v1/billing/reminder-runs", {
          params: { header: { "Idempotency-Key": key } },
          body: { dry_run: false },
        }),
      )) as ReminderRun,
  });
}

/** The latest runs, newest first; asked again while one is still running (a run cut off by a
 * restart of billing is taken up again by billing itself and ends here too). */
export function useRuns() {
  return useQuery({
    queryKey: ["reminders", "runs"],
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/billing/reminder-runs", { signal })),
    refetchInterval: (query) =>
      query.state.data?.items.some((run) => run.status === "running") ? POLL_MS * 3 : false,
  });
}

export function useRun(runId: string | null) {
  return useQuery({
    queryKey: ["reminders", "runs", runId],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/reminder-runs/{run_id}", {
          params: { path: { run_id: runId ?? "" } },
          signal,
        }),
      ),
    enabled: runId !== null,
    refetchInterval: (query) => (query.state.data?.status === "running" ? POLL_MS : false),
  });
}

export function useInvoiceReminders(invoiceId: string) {
  return useQuery({
    queryKey: ["reminders", "invoice", invoiceId],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/invoices/{invoice_id}/reminders", {
          params: { path: { invoice_id: invoiceId } },
          signal,
        }),
      ),
  });
}
