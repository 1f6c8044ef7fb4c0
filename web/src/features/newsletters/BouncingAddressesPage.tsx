// /bouncing-addresses — addresses left out of every send after a hard bounce or repeated soft
// ones, with their counts and last reason; clearing one lets it receive mail again.
import type { ColumnDef } from "@tanstack/react-table";
import { useState } from "react";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { ConfirmDialog } from "../../ui/Dialog";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { codeLabel } from "./labels";
import { useBouncingAddresses, useClearBouncing, type BouncingAddress } from "./newslettersApi";
import "./newsletters.css";

export default function BouncingAddressesPage() {
  const { t, dateTime, number } = useI18n();
  const { can } = useAuth();
  const params = useListParams();
  const addresses = useBouncingAddresses(params.offset, params.pageSize);
  const clear = useClearBouncing();
  const [clearing, setClearing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const mayClear = can("DELETE", "/newsletters/bouncing-addresses/{email}");
  const mayOpenContact = can("GET", "/contacts/{contact_id}/profile");

  const columns: ColumnDef<BouncingAddress, unknown>[] = [
    {
      id: "email",
      header: t("newsletters.bouncing.email"),
      cell: ({ row }) =>
        row.original.contact_id && mayOpenContact ? (
          <Link to={`/contacts/${row.original.contact_id}`}>{row.original.email}</Link>
        ) : (
          row.original.email
        ),
    },
    {
      id: "kind",
      header: t("newsletters.bouncing.kind"),
      cell: ({ row }) =>
        row.original.kind ? (
          <span className={row.original.kind === "hard" ? "badge badge-danger" : "badge badge-warn"}>
            {codeLabel(t, "bounceKind", row.original.kind)}
          </span>
        ) : (
          "—"
        ),
    },
    {
      id: "counts",
      header: t("newsletters.bouncing.counts"),
      cell: ({ row }) =>
        t("newsletters.bouncing.countsValue", {
          hard: number(row.original.hard_bounces),
          soft: number(row.original.soft_bounces),
        }),
    },
    {
      id: "reason",
      header: t("newsletters.bouncing.reason"),
      cell: ({ row }) => row.original.reason ?? "—",
    },
    {
      id: "last_bounce_at",
      header: t("newsletters.bouncing.last"),
      cell: ({ row }) => (row.original.last_bounce_at ? dateTime(row.original.last_bounce_at) : "—"),
    },
  ];
  if (mayClear) {
    columns.push({
      id: "actions",
      header: t("newsletters.bouncing.actions"),
      cell: ({ row }) => (
        <button
          type="button"
          className="btn"
          onClick={() => {
            clear.reset();
            setClearing(row.original.email);
          }}
        >
          {t("newsletters.bouncing.clear")}
          <span className="visually-hidden"> {row.original.email}</span>
        </button>
      ),
    });
  }

  return (
    <Page title={t("newsletters.bouncing.title")}>
      <p className="nl-intro">{t("newsletters.bouncing.intro")}</p>
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      <ProblemAlert error={addresses.error} />
      <DataTable
        columns={columns}
        rows={addresses.data?.items ?? []}
        total={addresses.data?.total ?? 0}
        params={params}
        caption={t("newsletters.bouncing.title")}
        busy={addresses.isPending}
      />
      <ConfirmDialog
        open={clearing !== null}
        title={t("newsletters.bouncing.clearTitle", { email: clearing ?? "" })}
        message={
          <>
            <p>{t("newsletters.bouncing.clearBody")}</p>
            <ProblemAlert error={clear.error} />
          </>
        }
        confirmLabel={t("newsletters.bouncing.clear")}
        busy={clear.isPending}
        onCancel={() => setClearing(null)}
        onConfirm={() => {
          const email = clearing ?? "";
          clear.mutate(email, {
            onSuccess: () => {
              setClearing(null);
              setNotice(t("newsletters.bouncing.cleared", { email }));
            },
          });
        }}
      />
    </Page>
  );
}
