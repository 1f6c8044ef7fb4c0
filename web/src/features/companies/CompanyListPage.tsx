// Companies by name, paged on the server (the page in the URL), with their VAT number, linked
// contacts and contracts; create a company, export all of them as CSV.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { addressLine } from "../../ui/AddressFields";
import { DataTable } from "../../ui/DataTable";
import { ExportButton } from "../../ui/ExportButton";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { CompanyFormDialog } from "./CompanyFormDialog";
import { useCompanies, type Company } from "./companyApi";

export default function CompanyListPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const params = useListParams();
  const companies = useCompanies(params.offset, params.pageSize);
  const [creating, setCreating] = useState(false);
  const columns = useCompanyColumns();

  return (
    <Page
      title={t("companies.list.title")}
      actions={
        <>
          {can("GET", "/contacts/companies/export.csv") ? (
            <ExportButton
              path="/api/v1/contacts/companies/export.csv"
              fileName="companies.csv"
              label={t("companies.list.export")}
            />
          ) : null}
          {can("POST", "/contacts/companies") ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t("companies.list.create")}
            </button>
          ) : null}
        </>
      }
    >
      <ProblemAlert error={companies.error} />
      <DataTable
        columns={columns}
        rows={companies.data?.items ?? []}
        total={companies.data?.total ?? 0}
        params={params}
        caption={t("companies.list.caption")}
        busy={companies.isFetching}
      />
      <CompanyFormDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(company) => {
          setCreating(false);
          void navigate(`/companies/${company.id}`);
        }}
      />
    </Page>
  );
}

function useCompanyColumns(): ColumnDef<Company, unknown>[] {
  const { t, number } = useI18n();
  return useMemo(
    () => [
      {
        id: "name",
        header: t("companies.field.name"),
        cell: ({ row }) => <Link to={`/companies/${row.original.id}`}>{row.original.name}</Link>,
      },
      {
        id: "vat",
        header: t("companies.field.vat"),
        cell: ({ row }) => row.original.vat_number ?? "—",
      },
      {
        id: "address",
        header: t("common.address.legend"),
        cell: ({ row }) => addressLine(row.original.address) || "—",
      },
      {
        id: "contacts",
        header: t("companies.contacts.title"),
        cell: ({ row }) => number(row.original.contacts.length),
      },
      {
        id: "contracts",
        header: t("companies.contracts.title"),
        cell: ({ row }) =>
          t("companies.list.contractCount", {
            active: number(row.original.contracts.filter((c) => c.status === "active").length),
            total: number(row.original.contracts.length),
          }),
      },
    ],
    [t, number],
  );
}
