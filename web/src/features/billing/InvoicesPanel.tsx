// A contact's invoices and credit notes with links, for the contact profile's invoices tab.
// Paged on the server; the page lives in the panel (the profile's URL is the profile's).
import { useState } from "react";

import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import type { ListParams } from "../../ui/useListParams";
import { useContactInvoices } from "./billingApi";
import { useInvoiceColumns } from "./invoiceColumns";
import "./billing.css";

function useLocalListParams(initialSize = 10): ListParams {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialSize);
  return {
    page,
    pageSize,
    sort: undefined,
    direction: "asc",
    offset: (page - 1) * pageSize,
    filter: () => "",
    setFilter: () => undefined,
    setPage,
    setPageSize: (size) => {
      setPageSize(size);
      setPage(1);
    },
    setSort: () => undefined,
  };
}

export function InvoicesPanel({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const params = useLocalListParams();
  const invoices = useContactInvoices(contactId, params.offset, params.pageSize);
  const columns = useInvoiceColumns(false);
  if (invoices.isPending) return <Loading />;
  return (
    <div className="invoices-panel">
      <ProblemAlert error={invoices.error} />
      <DataTable
        columns={columns}
        rows={invoices.data?.items ?? []}
        total={invoices.data?.total ?? 0}
        params={params}
        caption={t("billing.panel.caption")}
        busy={invoices.isFetching}
      />
    </div>
  );
}

export default InvoicesPanel;
