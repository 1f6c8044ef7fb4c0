// A resource's allocations, newest first and paged on the server (the page in the URL): who
// holds it and when; allocate it to a contact, change the end or the note, end it today,
// delete a mistake.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useState, type ReactNode } from "react";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { ProblemAlert } from "../../ui/Problem";
import { ConfirmDelete } from "../../ui/RecordPage";
import { today } from "../../ui/today";
import { useListParams } from "../../ui/useListParams";
import { AllocationDialog } from "./AllocationDialog";
import { Holder } from "./Holder";
import {
  allocationState,
  resourceKeys,
  useAllocations,
  type Allocation,
  type Resource,
} from "./resourceApi";

const STATE_BADGE = { current: "badge badge-ok", planned: "badge badge-warn", ended: "badge" };

export function ResourceAllocations({ resource }: { resource: Resource }) {
  const { t, date } = useI18n();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const params = useListParams();
  const allocations = useAllocations(resource.id, params.offset, params.pageSize);
  const [editing, setEditing] = useState<Allocation | "new" | null>(null);
  const [deleting, setDeleting] = useState<Allocation | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: resourceKeys.all });
  const path = (allocation: Allocation) => ({
    params: { path: { resource_id: resource.id, allocation_id: allocation.id } },
  });

  const end = useMutation({
    mutationFn: (allocation: Allocation) =>
      unwrap(
        api.PATCH("/api/v1/contacts/resources/{resource_id}/allocations/{allocation_id}", {
          ...path(allocation),
          body: { end_date: today() },
        }),
      ),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (allocation: Allocation) =>
      unwrap(
        api.DELETE("/api/v1/contacts/resources/{resource_id}/allocations/{allocation_id}", path(allocation)),
      ),
    onSuccess: () => setDeleting(null),
    onSettled: refresh,
  });

  const mayAdd = can("POST", "/contacts/resources/{resource_id}/allocations");
  const mayChange = can("PATCH", "/contacts/resources/{resource_id}/allocations/{allocation_id}");
  const mayDelete = can("DELETE", "/contacts/resources/{resource_id}/allocations/{allocation_id}");
  const columns = useAllocationColumns({
    actions:
      mayChange || mayDelete
        ? (allocation) => (
            <div className="row-actions">
              {mayChange ? (
                <button
                  type="button"
                  className="btn"
                  aria-label={t("resources.allocations.editNamed", { from: date(allocation.start_date) })}
                  onClick={() => setEditing(allocation)}
                >
                  {t("common.edit")}
                </button>
              ) : null}
              {mayChange && allocationState(allocation) === "current" && allocation.end_date !== today() ? (
                <button
                  type="button"
                  className="btn"
                  disabled={end.isPending}
                  aria-label={t("resources.allocations.endNamed", { from: date(allocation.start_date) })}
                  onClick={() => end.mutate(allocation)}
                >
                  {t("resources.allocations.end")}
                </button>
              ) : null}
              {mayDelete ? (
                <button
                  type="button"
                  className="btn"
                  aria-label={t("resources.allocations.deleteNamed", { from: date(allocation.start_date) })}
                  onClick={() => setDeleting(allocation)}
                >
                  {t("common.delete")}
                </button>
              ) : null}
            </div>
          )
        : undefined,
  });

  return (
    <section className="card no-print" aria-labelledby="resource-allocations">
      <div className="card-header">
        <h2 id="resource-allocations">{t("resources.allocations.title")}</h2>
        {mayAdd ? (
          <button type="button" className="btn btn-primary" onClick={() => setEditing("new")}>
            {t("resources.allocations.add")}
          </button>
        ) : null}
      </div>
      <ProblemAlert error={allocations.error ?? end.error} />
      <DataTable
        columns={columns}
        rows={allocations.data?.items ?? []}
        total={allocations.data?.total ?? 0}
        params={params}
        caption={t("resources.allocations.title")}
        busy={allocations.isFetching}
      />
      <AllocationDialog
        resourceId={resource.id}
        allocation={editing === "new" ? undefined : (editing ?? undefined)}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
      <ConfirmDelete
        open={deleting !== null}
        title={t("resources.allocations.deleteTitle")}
        body={t("resources.allocations.deleteBody")}
        action={remove}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={() => setDeleting(null)}
      />
    </section>
  );
}

/** Not memoised: the actions close over this render's state, and the table is small. */
function useAllocationColumns({
  actions,
}: {
  actions: ((allocation: Allocation) => ReactNode) | undefined;
}): ColumnDef<Allocation, unknown>[] {
  const { t, date } = useI18n();
  const columns: ColumnDef<Allocation, unknown>[] = [
    {
      id: "holder",
      header: t("resources.allocations.holder"),
      cell: ({ row }) => <Holder allocation={row.original} />,
    },
    {
      id: "period",
      header: t("resources.allocations.period"),
      cell: ({ row }) =>
        row.original.end_date
          ? t("resources.allocations.fromTo", {
              from: date(row.original.start_date),
              to: date(row.original.end_date),
            })
          : t("resources.allocations.from", { from: date(row.original.start_date) }),
    },
    {
      id: "state",
      header: t("resources.allocations.state"),
      cell: ({ row }) => {
        const state = allocationState(row.original);
        return <span className={STATE_BADGE[state]}>{t(`resources.state.${state}`)}</span>;
      },
    },
    {
      id: "note",
      header: t("resources.allocations.note"),
      cell: ({ row }) => <span className="notes">{row.original.note || "—"}</span>,
    },
  ];
  if (actions) {
    columns.push({
      id: "actions",
      header: () => <span className="visually-hidden">{t("resources.allocations.actions")}</span>,
      cell: ({ row }) => actions(row.original),
    });
  }
  return columns;
}
