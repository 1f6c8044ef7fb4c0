// A campaign's report: live progress while it is sending (the campaign is polled every second),
// the figures (sent, failed, bounced, unsubscribed) and the deliveries per recipient, paged and
// filtered by status in the URL.
import type { ColumnDef } from "@tanstack/react-table";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Field } from "../../ui/Field";
import { Progress } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { DeliveryStatusBadge, codeLabel } from "./labels";
import {
  DELIVERY_STATUSES,
  useDeliveries,
  type Campaign,
  type Delivery,
  type DeliveryStatus,
} from "./newslettersApi";

export function CampaignProgress({ campaign }: { campaign: Campaign }) {
  const { t, number } = useI18n();
  const { report } = campaign;
  const done = report.sent + report.failed;
  return (
    <section className="card nl-card" aria-labelledby="nl-progress-heading">
      <h2 id="nl-progress-heading">{t("newsletters.report.progressHeading")}</h2>
      <Progress label={t("newsletters.report.progress")} done={done} total={report.recipients} />
      <p role="status" aria-live="polite" className="nl-progress-figures">
        {campaign.status === "sent"
          ? t("newsletters.report.done", {
              sent: number(report.sent),
              failed: number(report.failed),
              total: number(report.recipients),
            })
          : t("newsletters.report.live", {
              sent: number(report.sent),
              failed: number(report.failed),
              total: number(report.recipients),
            })}
      </p>
    </section>
  );
}

export function CampaignFigures({ campaign }: { campaign: Campaign }) {
  const { t, number, dateTime } = useI18n();
  const { report } = campaign;
  const figures: [string, number, string][] = [
    [t("newsletters.report.recipients"), report.recipients, "recipients"],
    [t("newsletters.report.sent"), report.sent, "sent"],
    [t("newsletters.report.failed"), report.failed, "failed"],
    [t("newsletters.report.bounced"), report.bounced, "bounced"],
    [t("newsletters.report.unsubscribed"), report.unsubscribed, "unsubscribed"],
  ];
  if (report.queued > 0) figures.splice(2, 0, [t("newsletters.report.queued"), report.queued, "queued"]);
  return (
    <section className="card nl-card" aria-labelledby="nl-report-heading">
      <h2 id="nl-report-heading">{t("newsletters.report.heading")}</h2>
      <dl className="nl-figures">
        {figures.map(([label, value, key]) => (
          <div key={key} className={value > 0 ? `nl-figure nl-figure-${key}` : "nl-figure"}>
            <dt>{label}</dt>
            <dd>{number(value)}</dd>
          </div>
        ))}
      </dl>
      <p className="nl-muted">
        {campaign.started_at ? t("newsletters.report.started", { when: dateTime(campaign.started_at) }) : null}
        {campaign.finished_at ? ` · ${t("newsletters.report.finished", { when: dateTime(campaign.finished_at) })}` : null}
      </p>
    </section>
  );
}

/** How far a campaign is, as one value that changes whenever a delivery's status does. */
function campaignProgress({ status, report }: Campaign): string {
  return [status, report.queued, report.sent, report.failed, report.bounced, report.unsubscribed].join("/");
}

export function DeliveriesCard({ campaign }: { campaign: Campaign }) {
  const { t, dateTime, number } = useI18n();
  const { can } = useAuth();
  const params = useListParams();
  const chosen = params.filter("status");
  const status = (DELIVERY_STATUSES as readonly string[]).includes(chosen)
    ? (chosen as DeliveryStatus)
    : undefined;
  const deliveries = useDeliveries(
    campaign.id,
    status,
    params.offset,
    params.pageSize,
    campaignProgress(campaign),
  );
  const mayOpenContact = can("GET", "/contacts/{contact_id}/profile");

  const columns: ColumnDef<Delivery, unknown>[] = [
    {
      id: "email",
      header: t("newsletters.delivery.email"),
      cell: ({ row }) =>
        mayOpenContact ? (
          <Link to={`/contacts/${row.original.contact_id}`}>{row.original.email}</Link>
        ) : (
          row.original.email
        ),
    },
    {
      id: "status",
      header: t("newsletters.delivery.status"),
      cell: ({ row }) => (
        <span className="nl-badges">
          <DeliveryStatusBadge status={row.original.status} />
          {row.original.bounced_at ? (
            <span className="badge badge-danger">{t("newsletters.delivery.bounced")}</span>
          ) : null}
          {row.original.unsubscribed_at ? (
            <span className="badge badge-warn">{t("newsletters.delivery.unsubscribed")}</span>
          ) : null}
        </span>
      ),
    },
    {
      id: "attempts",
      header: t("newsletters.delivery.attempts"),
      cell: ({ row }) => number(row.original.attempts),
    },
    {
      id: "sent_at",
      header: t("newsletters.delivery.sentAt"),
      cell: ({ row }) => (row.original.sent_at ? dateTime(row.original.sent_at) : "—"),
    },
    {
      id: "reason",
      header: t("newsletters.delivery.reason"),
      cell: ({ row }) => row.original.reason ?? "—",
    },
  ];

  return (
    <section className="card nl-card" aria-labelledby="nl-deliveries-heading">
      <h2 id="nl-deliveries-heading">{t("newsletters.delivery.heading")}</h2>
      <div className="toolbar">
        <Field label={t("newsletters.delivery.filter")}>
          {(control) => (
            <select {...control} value={status ?? ""} onChange={(event) => params.setFilter("status", event.target.value)}>
              <option value="">{t("newsletters.delivery.all")}</option>
              {DELIVERY_STATUSES.map((code) => (
                <option key={code} value={code}>
                  {codeLabel(t, "delivery", code)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ProblemAlert error={deliveries.error} />
      <DataTable
        columns={columns}
        rows={deliveries.data?.items ?? []}
        total={deliveries.data?.total ?? 0}
        params={params}
        caption={t("newsletters.delivery.heading")}
        busy={deliveries.isPending}
      />
    </section>
  );
}
