// /campaigns — every campaign with its status (newest first, paged on the server), and the way
// to compose a new one.
import type { ColumnDef } from "@tanstack/react-table";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { CampaignStatusBadge } from "./labels";
import { useCampaignPage, type CampaignSummary } from "./newslettersApi";
import "./newsletters.css";

export default function CampaignsPage() {
  const { t, dateTime } = useI18n();
  const { can } = useAuth();
  const params = useListParams();
  const campaigns = useCampaignPage(params.offset, params.pageSize);

  const columns: ColumnDef<CampaignSummary, unknown>[] = [
    {
      id: "subject",
      header: t("newsletters.campaign.subject"),
      cell: ({ row }) => <Link to={`/campaigns/${row.original.id}`}>{row.original.subject}</Link>,
    },
    {
      id: "status",
      header: t("newsletters.campaign.status"),
      cell: ({ row }) => <CampaignStatusBadge status={row.original.status} />,
    },
    {
      id: "send_at",
      header: t("newsletters.campaign.sendAt"),
      cell: ({ row }) => (row.original.send_at ? dateTime(row.original.send_at) : "—"),
    },
    {
      id: "created_at",
      header: t("newsletters.campaign.created"),
      cell: ({ row }) => dateTime(row.original.created_at),
    },
  ];

  return (
    <Page
      title={t("newsletters.campaigns.title")}
      actions={
        can("POST", "/newsletters/campaigns") ? (
          <Link className="btn btn-primary" to="/campaigns/new">
            {t("newsletters.campaigns.compose")}
          </Link>
        ) : null
      }
    >
      <ProblemAlert error={campaigns.error} />
      <DataTable
        columns={columns}
        rows={campaigns.data?.items ?? []}
        total={campaigns.data?.total ?? 0}
        params={params}
        caption={t("newsletters.campaigns.title")}
        busy={campaigns.isPending}
      />
    </Page>
  );
}
