// Every change of the contact, newest first, paged on the server (page and size in the URL).
import type { ColumnDef } from "@tanstack/react-table";

import type { components } from "../../../api/schema";
import { useI18n } from "../../../i18n/i18n";
import { DataTable } from "../../../ui/DataTable";
import { ProblemAlert } from "../../../ui/Problem";
import { useListParams } from "../../../ui/useListParams";
import { useContactHistory } from "./profileApi";
import { useChangeLabel, useFieldLabel } from "./labels";

type Entry = components["schemas"]["contacts.HistoryEntry"];

export function HistoryTab({ contactId }: { contactId: string }) {
  const { t, dateTime } = useI18n();
  const changeLabel = useChangeLabel();
  const fieldLabel = useFieldLabel();
  const params = useListParams();
  const history = useContactHistory(contactId, params.offset, params.pageSize);

  const columns: ColumnDef<Entry, unknown>[] = [
      {
        id: "changed_at",
        header: t("contacts.profile.history.when"),
        cell: ({ row }) => dateTime(row.original.changed_at),
      },
      {
        id: "change",
        header: t("contacts.profile.history.change"),
        cell: ({ row }) => changeLabel(row.original.change),
      },
      {
        id: "field",
        header: t("contacts.profile.history.field"),
        cell: ({ row }) => fieldLabel(row.original.field),
      },
      {
        id: "old",
        header: t("contacts.profile.history.old"),
        cell: ({ row }) => row.original.old_value ?? "—",
      },
      {
        id: "new",
        header: t("contacts.profile.history.new"),
        cell: ({ row }) => row.original.new_value ?? "—",
      },
  ];

  return (
    <section className="card" aria-labelledby="profile-history-heading">
      <h2 id="profile-history-heading">{t("contacts.profile.history.heading")}</h2>
      <ProblemAlert error={history.error} />
      <DataTable
        columns={columns}
        rows={history.data?.items ?? []}
        total={history.data?.total ?? 0}
        params={params}
        caption={t("contacts.profile.history.heading")}
        busy={history.isFetching}
      />
    </section>
  );
}
