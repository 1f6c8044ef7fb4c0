// Resources by name, filtered by kind and paged on the server (both in the URL), with who holds
// each today; create a resource.
import type { ColumnDef } from "@tanstack/react-table";
import { useId, useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { Holder } from "./Holder";
import { ResourceFormDialog } from "./ResourceFormDialog";
import {
  RESOURCE_KINDS,
  allocationState,
  isKind,
  useResources,
  type Resource,
} from "./resourceApi";

export default function ResourceListPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const params = useListParams();
  const kind = params.filter("kind");
  const resources = useResources(kind, params.offset, params.pageSize);
  const [creating, setCreating] = useState(false);
  const columns = useResourceColumns();
  const kindId = useId();

  return (
    <Page
      title={t("resources.list.title")}
      actions={
        can("POST", "/contacts/resources") ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t("resources.list.create")}
          </button>
        ) : null
      }
    >
      <div className="toolbar">
        <div className="field">
          <label htmlFor={kindId}>{t("resources.field.kind")}</label>
          <select
            id={kindId}
            value={isKind(kind) ? kind : ""}
            onChange={(event) => params.setFilter("kind", event.target.value)}
          >
            <option value="">{t("resources.list.allKinds")}</option>
            {RESOURCE_KINDS.map((option) => (
              <option key={option} value={option}>
                {t(`resources.kind.${option}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ProblemAlert error={resources.error} />
      <DataTable
        columns={columns}
        rows={resources.data?.items ?? []}
        total={resources.data?.total ?? 0}
        params={params}
        caption={t("resources.list.caption")}
        busy={resources.isFetching}
      />
      <ResourceFormDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(resource) => {
          setCreating(false);
          void navigate(`/resources/${resource.id}`);
        }}
      />
    </Page>
  );
}

function useResourceColumns(): ColumnDef<Resource, unknown>[] {
  const { t } = useI18n();
  return useMemo(
    () => [
      {
        id: "name",
        header: t("resources.field.name"),
        cell: ({ row }) => <Link to={`/resources/${row.original.id}`}>{row.original.name}</Link>,
      },
      {
        id: "kind",
        header: t("resources.field.kind"),
        cell: ({ row }) => t(`resources.kind.${row.original.kind as "other"}`),
      },
      { id: "code", header: t("resources.field.code"), cell: ({ row }) => row.original.code ?? "—" },
      {
        id: "location",
        header: t("resources.field.location"),
        cell: ({ row }) => row.original.location ?? "—",
      },
      {
        id: "holder",
        header: t("resources.list.heldBy"),
        cell: ({ row }) => {
          const current = row.original.allocations.find((a) => allocationState(a) === "current");
          return current ? <Holder allocation={current} /> : t("resources.list.free");
        },
      },
    ],
    [t],
  );
}
