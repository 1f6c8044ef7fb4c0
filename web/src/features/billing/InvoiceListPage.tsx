// /invoices — every invoice and credit note, filtered and paged on the server; the view
// (filters, page, page size) lives in the URL, so a link reproduces it.
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams, type ListParams } from "../../ui/useListParams";
import { useInvoiceList, type InvoiceQuery, type InvoiceStatus } from "./billingApi";
import { InvoiceFilters } from "./InvoiceFilters";
import { useInvoiceColumns } from "./invoiceColumns";
import { isoToday } from "./labels";
import "./billing.css";

/** The API's query for the filters in the URL: "open" and "overdue" are views over the
 * open invoices (overdue: due before today); the others are statuses. */
function invoiceQuery(params: ListParams): InvoiceQuery {
  const query: InvoiceQuery = { offset: params.offset, limit: params.pageSize };
  const status = params.filter("status");
  if (status === "open" || status === "overdue") query.open = true;
  else if (status) query.status = status as InvoiceStatus;
  const dueBefore = params.filter("due_before");
  const today = isoToday();
  if (status === "overdue") query.due_before = dueBefore && dueBefore < today ? dueBefore : today;
  else if (dueBefore) query.due_before = dueBefore;
  const kind = params.filter("kind");
  if (kind === "invoice" || kind === "credit_note") query.kind = kind;
  if (params.filter("contact")) query.contact_id = params.filter("contact");
  if (params.filter("run")) query.run_id = params.filter("run");
  if (params.filter("number")) query.number = params.filter("number");
  return query;
}

export default function InvoiceListPage() {
  const { t } = useI18n();
  const params = useListParams();
  const invoices = useInvoiceList(invoiceQuery(params));
  const columns = useInvoiceColumns(true);
  return (
    <Page title={t("billing.list.title")}>
      <InvoiceFilters params={params} />
      <ProblemAlert error={invoices.error} />
      <DataTable
        columns={columns}
        rows={invoices.data?.items ?? []}
        total={invoices.data?.total ?? 0}
        params={params}
        caption={t("billing.list.title")}
        busy={invoices.isFetching}
      />
    </Page>
  );
}
