// /campaigns/:campaignId — one campaign. A draft shows its audience with its size, a preview
// for a chosen recipient and a test mail, and is sent now (confirmed with the audience's size)
// or scheduled; while sending, live progress; afterwards the report and the deliveries.
// /campaigns/new composes a draft (?from=<id> starts from an earlier campaign).
import { useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { CampaignComposer } from "./CampaignComposer";
import { ScheduleDialog, TestMailDialog } from "./CampaignDialogs";
import { CampaignPreviewCard } from "./CampaignPreviewCard";
import { CampaignFigures, CampaignProgress, DeliveriesCard } from "./CampaignReport";
import { CampaignStatusBadge } from "./labels";
import {
  useAudienceSize,
  useCampaign,
  useCancelCampaign,
  useListChoices,
  useSendNow,
  type Campaign,
} from "./newslettersApi";
import "./newsletters.css";

export default function CampaignPage() {
  const { campaignId = "" } = useParams();
  if (campaignId === "new") return <ComposePage />;
  return <CampaignLoader campaignId={campaignId} />;
}

function ComposePage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [search] = useSearchParams();
  const fromId = search.get("from") ?? "";
  const from = useCampaign(fromId, Boolean(fromId));
  if (!can("POST", "/newsletters/campaigns")) {
    return (
      <Page title={t("common.notAllowed.title")}>
        <p>{t("common.notAllowed.body")}</p>
      </Page>
    );
  }
  return (
    <Page title={t("newsletters.compose.title")}>
      {fromId && from.isPending ? <Loading /> : null}
      <ProblemAlert error={from.error} />
      {!fromId || from.data ? <CampaignComposer key={fromId} from={from.data} /> : null}
    </Page>
  );
}

function CampaignLoader({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const query = useCampaign(campaignId);
  if (query.isPending) {
    return (
      <Page title={t("newsletters.campaigns.title")}>
        <Loading />
      </Page>
    );
  }
  if (!query.data) {
    return (
      <Page title={t("newsletters.campaigns.title")}>
        <ProblemAlert error={query.error} />
      </Page>
    );
  }
  return <CampaignView key={query.data.id} campaign={query.data} />;
}

type Confirming = "send" | "cancel" | null;

function CampaignView({ campaign }: { campaign: Campaign }) {
  const { t, dateTime, number } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [testing, setTesting] = useState(false);
  const [scheduling, setScheduling] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const isDraft = campaign.status === "draft";
  const cancellable = isDraft || campaign.status === "scheduled" || campaign.status === "sending";
  const audience = useAudienceSize(campaign.id, isDraft || campaign.status === "scheduled");
  const send = useSendNow(campaign.id);
  const cancel = useCancelCampaign(campaign.id);
  const may = (suffix: string) => can("POST", `/newsletters/campaigns/{campaign_id}${suffix}`);
  const mayCompose = can("POST", "/newsletters/campaigns");
  const size = audience.data?.recipients;

  const confirm = () => {
    if (confirming === "send") {
      send.mutate(undefined, {
        onSuccess: () => {
          setConfirming(null);
          setNotice(t("newsletters.campaign.sendStarted"));
        },
      });
    } else if (confirming === "cancel") {
      cancel.mutate(undefined, {
        onSuccess: () => {
          setConfirming(null);
          setNotice(t("newsletters.campaign.cancelled"));
        },
      });
    }
  };
  const pending = confirming === "send" ? send : cancel;

  return (
    <Page
      title={campaign.subject}
      actions={
        <>
          {isDraft && mayCompose ? (
            <button type="button" className="btn" onClick={() => void navigate(`/campaigns/new?from=${campaign.id}`)}>
              {t("newsletters.campaign.edit")}
            </button>
          ) : null}
          {!isDraft && mayCompose ? (
            <button type="button" className="btn" onClick={() => void navigate(`/campaigns/new?from=${campaign.id}`)}>
              {t("newsletters.campaign.copy")}
            </button>
          ) : null}
          {isDraft && may("/test") ? (
            <button type="button" className="btn" onClick={() => setTesting(true)}>
              {t("newsletters.test.open")}
            </button>
          ) : null}
          {isDraft && may("/schedule") ? (
            <button type="button" className="btn" onClick={() => setScheduling(true)}>
              {t("newsletters.schedule.open")}
            </button>
          ) : null}
          {isDraft && may("/send") ? (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                send.reset();
                void audience.refetch();
                setConfirming("send");
              }}
            >
              {t("newsletters.campaign.send")}
            </button>
          ) : null}
          {cancellable && may("/cancel") ? (
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => {
                cancel.reset();
                setConfirming("cancel");
              }}
            >
              {t("newsletters.campaign.cancel")}
            </button>
          ) : null}
        </>
      }
    >
      <p className="nl-status-line">
        <CampaignStatusBadge status={campaign.status} />
        {campaign.status === "scheduled" && campaign.send_at ? (
          <span>{t("newsletters.campaign.scheduledFor", { when: dateTime(campaign.send_at) })}</span>
        ) : null}
        {campaign.status === "sent" && campaign.finished_at ? (
          <span>{t("newsletters.campaign.sentOn", { when: dateTime(campaign.finished_at) })}</span>
        ) : null}
      </p>
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      {campaign.status === "sending" || campaign.status === "sent" ? (
        <CampaignProgress campaign={campaign} />
      ) : null}
      {isDraft || campaign.status === "scheduled" ? (
        <AudienceCard campaign={campaign} size={size} loading={audience.isFetching} error={audience.error} onRefresh={() => void audience.refetch()} />
      ) : null}
      {campaign.status === "sent" || campaign.status === "sending" || (campaign.status === "cancelled" && campaign.report.recipients > 0) ? (
        <CampaignFigures campaign={campaign} />
      ) : null}
      <CampaignPreviewCard campaign={campaign} />
      {campaign.report.recipients > 0 ? <DeliveriesCard campaign={campaign} /> : null}
      <TestMailDialog
        open={testing}
        campaignId={campaign.id}
        onClose={() => setTesting(false)}
        onSent={(email) => {
          setTesting(false);
          setNotice(t("newsletters.test.sent", { email }));
        }}
      />
      <ScheduleDialog
        open={scheduling}
        campaignId={campaign.id}
        audience={size}
        onClose={() => setScheduling(false)}
        onScheduled={() => {
          setScheduling(false);
          setNotice(t("newsletters.schedule.done"));
        }}
      />
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === "send" ? t("newsletters.campaign.sendTitle") : t("newsletters.campaign.cancelTitle")}
        message={
          <>
            <p>
              {confirming === "send"
                ? size === undefined
                  ? t("common.loading")
                  : t("newsletters.campaign.sendBody", { count: number(size) })
                : campaign.status === "sending"
                  ? t("newsletters.campaign.cancelSendingBody")
                  : t("newsletters.campaign.cancelBody")}
            </p>
            <ProblemAlert error={pending.error} />
          </>
        }
        confirmLabel={
          confirming === "send"
            ? size === undefined
              ? t("newsletters.campaign.send")
              : t("newsletters.campaign.sendTo", { count: number(size) })
            : t("newsletters.campaign.cancel")
        }
        danger={confirming === "cancel"}
        busy={pending.isPending || (confirming === "send" && (size === undefined || size === 0))}
        onCancel={() => setConfirming(null)}
        onConfirm={confirm}
      />
    </Page>
  );
}

function AudienceCard(props: {
  campaign: Campaign;
  size: number | undefined;
  loading: boolean;
  error: unknown;
  onRefresh: () => void;
}) {
  const { t, number } = useI18n();
  const lists = useListChoices();
  const { audience } = props.campaign;
  const listNames = (audience.list_ids ?? []).map(
    (id) => lists.data?.find((list) => list.id === id)?.name ?? id,
  );
  return (
    <section className="card nl-card" aria-labelledby="nl-audience-heading">
      <h2 id="nl-audience-heading">{t("newsletters.audience.heading")}</h2>
      <p className="nl-audience-size" role="status">
        {props.size === undefined
          ? t("common.loading")
          : t("newsletters.audience.size", { count: number(props.size) })}{" "}
        <button type="button" className="btn-link" disabled={props.loading} onClick={props.onRefresh}>
          {t("newsletters.audience.recount")}
        </button>
      </p>
      <ProblemAlert error={props.error} />
      <ul className="nl-audience-summary">
        {listNames.length ? <li>{t("newsletters.audience.listsChosen", { names: listNames.join(", ") })}</li> : null}
        {audience.contact_ids?.length ? (
          <li>{t("newsletters.audience.contactsChosen", { count: number(audience.contact_ids.length) })}</li>
        ) : null}
        {audience.family_ids?.length ? (
          <li>{t("newsletters.audience.familiesChosen", { count: number(audience.family_ids.length) })}</li>
        ) : null}
      </ul>
      <p className="nl-muted">{t("newsletters.audience.sizeHint")}</p>
    </section>
  );
}
