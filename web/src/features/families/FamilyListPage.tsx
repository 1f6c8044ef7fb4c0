// Families by name, paged on the server (the page in the URL), with their members and address;
// create a family, export all of them as CSV.
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { addressLine } from "../../ui/AddressFields";
import { contactName } from "../../ui/ContactPicker";
import { DataTable } from "../../ui/DataTable";
import { ExportButton } from "../../ui/ExportButton";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { FamilyFormDialog } from "./FamilyFormDialog";
import { useFamilies, type Family } from "./familyApi";

export default function FamilyListPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const params = useListParams();
  const families = useFamilies(params.offset, params.pageSize);
  const [creating, setCreating] = useState(false);
  const columns = useFamilyColumns();

  return (
    <Page
      title={t("families.list.title")}
      actions={
        <>
          {can("GET", "/contacts/families/export.csv") ? (
            <ExportButton
              path="/api/v1/contacts/families/export.csv"
              fileName="families.csv"
              label={t("families.list.export")}
            />
          ) : null}
          {can("POST", "/contacts/families") ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t("families.list.create")}
            </button>
          ) : null}
        </>
      }
    >
      <ProblemAlert error={families.error} />
      <DataTable
        columns={columns}
        rows={families.data?.items ?? []}
        total={families.data?.total ?? 0}
        params={params}
        caption={t("families.list.caption")}
        busy={families.isFetching}
      />
      <FamilyFormDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(family) => {
          setCreating(false);
          void navigate(`/families/${family.id}`);
        }}
      />
    </Page>
  );
}

function useFamilyColumns(): ColumnDef<Family, unknown>[] {
  const { t, number } = useI18n();
  return useMemo(
    () => [
      {
        id: "name",
        header: t("families.field.name"),
        cell: ({ row }) => <Link to={`/families/${row.original.id}`}>{row.original.name}</Link>,
      },
      {
        id: "members",
        header: t("families.field.members"),
        cell: ({ row }) => {
          const members = row.original.members;
          const names = members.slice(0, 4).map(contactName).join(", ");
          return members.length > 4
            ? t("families.list.moreMembers", { names, count: number(members.length - 4) })
            : names || "—";
        },
      },
      {
        id: "address",
        header: t("common.address.legend"),
        cell: ({ row }) => addressLine(row.original.address) || "—",
      },
    ],
    [t, number],
  );
}
