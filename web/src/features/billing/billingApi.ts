// Billing's server state: invoices, payments and credit notes, contribution runs, SEPA
// mandates, collections and bank statements, with the query keys the pages share.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, apiFetch, download, etagOf, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Invoice = Schemas["billing.InvoiceOut"];
export type InvoiceSummary = Schemas["billing.InvoiceSummary"];
export type InvoiceStatus = Invoice["status"];
export type LineIn = Schemas["billing.LineIn"];
export type PaymentCreate = Schemas["billing.PaymentCreate"];
export type PaymentMethod = NonNullable<PaymentCreate["method"]>;
export type CreditNoteCreate = Schemas["billing.CreditNoteCreate"];
export type InvoiceChange = Schemas["billing.InvoiceChange"];
export type Run = Schemas["billing.RunOut"];
export type RunCreate = Omit<Schemas["billing.RunCreate"], "dry_run">;
export type RunPreview = Schemas["billing.RunPreview"];
export type RunSkip = Schemas["billing.RunSkipOut"];
export type Mandate = Schemas["billing.MandateOut"];
export type MandateCreate = Schemas["billing.MandateCreate"];
export type CollectionCreate = Schemas["billing.CollectionCreate"];
export type Collection = Schemas["billing.CollectionOut"];
export type StatementImport = Schemas["billing.StatementImportOut"];
export type ImportedTransaction = Schemas["billing.ImportedTransaction"];
export type PaymentInstructions = Schemas["billing.PaymentInstructionsOut"];
export type Organisation = Schemas["billing.OrganisationOut"];
export type ReferenceScheme = Organisation["payment_reference_scheme"];
export const REFERENCE_SCHEMES: ReferenceScheme[] = ["rf", "be_structured"];

export const PAYMENT_METHODS: PaymentMethod[] = [
  "bank_transfer",
  "direct_debit",
  "cash",
  "card",
  "other",
];
export const INVOICE_STATUSES: InvoiceStatus[] = [
  "draft",
  "issued",
  "partly_paid",
  "paid",
  "credited",
];

export const billingKeys = {
  invoices: ["billing", "invoices"] as const,
  invoiceList: (query: InvoiceQuery) => ["billing", "invoices", "list", query] as const,
  invoice: (id: string) => ["billing", "invoices", "one", id] as const,
  contactInvoices: (contactId: string, offset: number, limit: number) =>
    ["billing", "invoices", "contact", contactId, offset, limit] as const,
  runs: ["billing", "runs"] as const,
  runList: (offset: number, limit: number) => ["billing", "runs", "list", offset, limit] as const,
  run: (id: string) => ["billing", "runs", "one", id] as const,
  runSkips: (id: string, offset: number, limit: number) =>
    ["billing", "runs", "one", id, "skips", offset, limit] as const,
  mandates: (contactId: string) => ["billing", "mandates", contactId] as const,
  organisation: ["billing", "organisation"] as const,
};

/** The filters GET /billing/invoices takes. */
export interface InvoiceQuery {
  offset: number;
  limit: number;
  status?: InvoiceStatus;
  kind?: "invoice" | "credit_note";
  contact_id?: string;
  open?: boolean;
  due_before?: string;
  run_id?: string;
  number?: string;
}

export function useInvoiceList(query: InvoiceQuery) {
  return useQuery({
    queryKey: billingKeys.invoiceList(query),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/billing/invoices", { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

const CONTACT_INVOICES_POLL_MS = 5_000;

export function useContactInvoices(contactId: string, offset: number, limit: number) {
  return useQuery({
    queryKey: billingKeys.contactInvoices(contactId, offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/contacts/{contact_id}/invoices", {
          params: { path: { contact_id: contactId }, query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    // Invoices and credit notes follow membership changes through events (memberships → Kafka
    // → billing): asking again while the profile is visible shows them arrive without a reload,
    // in step with the profile's open items above the list, which poll too.
    refetchInterval: CONTACT_INVOICES_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

/** One invoice with its ETag, which a draft's edit or delete sends back as If-Match. */
export function useInvoice(invoiceId: string) {
  return useQuery({
    queryKey: billingKeys.invoice(invoiceId),
    queryFn: async ({ signal }) => {
      const answer = await api.GET("/api/v1/billing/invoices/{invoice_id}", {
        params: { path: { invoice_id: invoiceId } },
        signal,
      });
      const invoice = await unwrap(Promise.resolve(answer));
      return { invoice, etag: etagOf(answer.response) ?? `"${invoice.version}"` };
    },
  });
}

function useInvalidateInvoices() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: billingKeys.invoices });
}

const path = (invoiceId: string) => ({ path: { invoice_id: invoiceId } });

export function useUpdateDraft(invoiceId: string) {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: ({ change, etag }: { change: InvoiceChange; etag: string }) =>
      unwrap(
        api.PATCH("/api/v1/billing/invoices/{invoice_id}", {
          params: path(invoiceId),
          body: change,
          headers: { "If-Match": etag },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useDeleteDraft(invoiceId: string) {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: (etag: string) =>
      unwrap(
        api.DELETE("/api/v1/billing/invoices/{invoice_id}", {
          params: path(invoiceId),
          headers: { "If-Match": etag },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useIssueInvoice(invoiceId: string) {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/billing/invoices/{invoice_id}/issue", { params: path(invoiceId) })),
    onSuccess: invalidate,
  });
}

export function useSendInvoice(invoiceId: string) {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/billing/invoices/{invoice_id}/send", { params: path(invoiceId) })),
    onSuccess: invalidate,
  });
}

/** A payment, sent with the Idempotency-Key of the dialog's opening: a double click or a
 * retry answers the same booking instead of booking twice. */
export function useRegisterPayment(invoiceId: string) {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: ({ payment, key }: { payment: PaymentCreate; key: string }) =>
      unwrap(
        api.POST("/api/v1/billing/invoices/{invoice_id}/payments", {
          params: { ...path(invoiceId), header: { "Idempotency-Key": key } },
          body: payment,
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useCreditInvoice(invoiceId: string) {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: ({ credit, key }: { credit: CreditNoteCreate; key: string }) =>
      unwrap(
        api.POST("/api/v1/billing/invoices/{invoice_id}/credit-notes", {
          params: { ...path(invoiceId), header: { "Idempotency-Key": key } },
          body: credit,
        }),
      ),
    onSuccess: invalidate,
  });
}

/** How to pay an issued invoice: the reference as printed and the EPC QR code. Under the
 * invoices' key, so a payment or a switch of the reference scheme asks again. */
export function usePaymentInstructions(invoiceId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...billingKeys.invoice(invoiceId), "payment-instructions"],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/invoices/{invoice_id}/payment-instructions", {
          params: path(invoiceId),
          signal,
        }),
      ),
    enabled,
  });
}

export function downloadInvoicePdf(invoice: { id: string; number: string | null }) {
  return download(
    `/api/v1/billing/invoices/${invoice.id}/pdf`,
    `${invoice.number ?? invoice.id}.pdf`,
  );
}

// --- contribution runs -----------------------------------------------------------------------

export function useRunList(offset: number, limit: number) {
  return useQuery({
    queryKey: billingKeys.runList(offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/contribution-runs", {
          params: { query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

const POLL_MS = 1000;

/** A run, polled every second until it is completed. */
export function useRun(runId: string) {
  return useQuery({
    queryKey: billingKeys.run(runId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/contribution-runs/{run_id}", {
          params: { path: { run_id: runId } },
          signal,
        }),
      ),
    refetchInterval: (query) => (query.state.data?.status === "completed" ? false : POLL_MS),
  });
}

export function useRunSkips(runId: string, offset: number, limit: number) {
  return useQuery({
    queryKey: billingKeys.runSkips(runId, offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/contribution-runs/{run_id}/skips", {
          params: { path: { run_id: runId }, query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** A dry run answers 200 with the preview; a run 202 with the started run. */
export function usePreviewRun() {
  return useMutation({
    mutationFn: async (body: RunCreate) =>
      (await unwrap(
        api.POST("/api/v1/billing/contribution-runs", { body: { ...body, dry_run: true } }),
      )) as RunPreview,
  });
}

export function useStartRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: RunCreate) =>
      (await unwrap(
        api.POST("/api/v1/billing/contribution-runs", { body: { ...body, dry_run: false } }),
      )) as Run,
    onSuccess: () => client.invalidateQueries({ queryKey: billingKeys.runs }),
  });
}

/** The membership types to narrow a run to (the treasurer may not be allowed to list them). */
export function useMembershipTypeChoices(enabled: boolean) {
  return useQuery({
    queryKey: ["memberships", "types", "choices"],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/membership-types", {
          params: { query: { offset: 0, limit: 200 } },
          signal,
        }),
      ),
    enabled,
  });
}

// --- SEPA ------------------------------------------------------------------------------------

export function useMandates(contactId: string) {
  return useQuery({
    queryKey: billingKeys.mandates(contactId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/contacts/{contact_id}/mandates", {
          params: { path: { contact_id: contactId } },
          signal,
        }),
      ),
  });
}

export function useRegisterMandate(contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: MandateCreate) =>
      unwrap(
        api.POST("/api/v1/billing/contacts/{contact_id}/mandates", {
          params: { path: { contact_id: contactId } },
          body,
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: billingKeys.mandates(contactId) }),
  });
}

export function useRevokeMandate(contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mandateId: string) =>
      unwrap(
        api.POST("/api/v1/billing/contacts/{contact_id}/mandates/{mandate_id}/revoke", {
          params: { path: { contact_id: contactId, mandate_id: mandateId } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: billingKeys.mandates(contactId) }),
  });
}

export function useCreateCollection() {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: (body: CollectionCreate) =>
      unwrap(api.POST("/api/v1/billing/collections", { body })),
    onSuccess: invalidate,
  });
}

export function useImportStatement() {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: async (file: File) => {
      const form = new FormData();
      form.append("file", file);
      const response = await apiFetch("/api/v1/billing/bank-statements", {
        method: "POST",
        body: form,
      });
      return (await response.json()) as StatementImport;
    },
    onSuccess: invalidate,
  });
}

// --- the organisation ------------------------------------------------------------------------

export function useOrganisation() {
  return useQuery({
    queryKey: billingKeys.organisation,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/billing/organisation", { signal })),
  });
}

/** The payment reference invoices carry from now on: every invoice document follows. */
export function useChooseReferenceScheme() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (scheme: ReferenceScheme) =>
      unwrap(
        api.PATCH("/api/v1/billing/organisation", {
          body: { payment_reference_scheme: scheme },
        }),
      ),
    onSuccess: (organisation) => {
      client.setQueryData(billingKeys.organisation, organisation);
      return client.invalidateQueries({ queryKey: billingKeys.invoices });
    },
  });
}
