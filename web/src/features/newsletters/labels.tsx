// Translated labels of the service's codes (campaign and delivery status, subscription source,
// bounce kind), falling back to the code itself for a value this version does not know yet.
import type { MessageKey } from "../../i18n/catalog";
import { useI18n, type I18n } from "../../i18n/i18n";
import type { CampaignStatus, DeliveryStatus } from "./newslettersApi";

export function codeLabel(t: I18n["t"], group: string, code: string): string {
  const key = `newsletters.${group}.${code}`;
  const text = t(key as MessageKey);
  return text === key ? code.replaceAll("_", " ") : text;
}

const CAMPAIGN_TONE: Record<CampaignStatus, string> = {
  draft: "badge",
  scheduled: "badge badge-warn",
  sending: "badge badge-warn",
  sent: "badge badge-ok",
  cancelled: "badge badge-danger",
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const { t } = useI18n();
  return <span className={CAMPAIGN_TONE[status]}>{codeLabel(t, "status", status)}</span>;
}

const DELIVERY_TONE: Record<DeliveryStatus, string> = {
  queued: "badge",
  sent: "badge badge-ok",
  failed: "badge badge-danger",
  cancelled: "badge",
};

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useI18n();
  return <span className={DELIVERY_TONE[status]}>{codeLabel(t, "delivery", status)}</span>;
}
