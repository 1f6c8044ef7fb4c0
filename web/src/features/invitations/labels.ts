// The words for the gateway's invitation codes and what a refused invitation means.
import type { MessageKey } from "../../i18n/catalog";
import type { I18n } from "../../i18n/i18n";
import { ApiError } from "../../api/problem";
import type { Invitation, SkipReason } from "./invitationApi";

export const STATE_LABEL: Record<Invitation["state"], MessageKey> = {
  open: "invitations.state.open",
  accepted: "invitations.state.accepted",
  expired: "invitations.state.expired",
  revoked: "invitations.state.revoked",
};

export const STATE_BADGE: Record<Invitation["state"], string> = {
  open: "badge badge-warn",
  accepted: "badge badge-ok",
  expired: "badge",
  revoked: "badge",
};

const SKIP_REASON: Record<SkipReason, MessageKey> = {
  not_found: "invitations.reason.not_found",
  no_email: "invitations.reason.no_email",
  has_login: "invitations.reason.has_login",
  already_member: "invitations.reason.already_member",
  rate_limited: "invitations.reason.rate_limited",
  unavailable: "invitations.reason.unavailable",
  mail_failed: "invitations.reason.mail_failed",
};

const REVOKED_REASON: Record<string, MessageKey> = {
  reinvited: "invitations.revokedReason.reinvited",
  revoked: "invitations.revokedReason.revoked",
  erased: "invitations.revokedReason.erased",
  mail_failed: "invitations.revokedReason.mail_failed",
};

export function skipReasonLabel(t: I18n["t"], reason: SkipReason | null | undefined): string {
  return reason ? t(SKIP_REASON[reason] ?? "invitations.reason.other") : t("invitations.reason.other");
}

export function revokedReasonLabel(t: I18n["t"], reason: string | null): string {
  const key = reason ? REVOKED_REASON[reason] : undefined;
  return key ? t(key) : (reason ?? "");
}

/** A refused invitation in the person's words, when the gateway said why; else null (the
 * generic problem alert then shows the answer). */
export function inviteRefusal(t: I18n["t"], error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const reason = error.problem.reason;
  if (error.status === 409 && (reason === "has_login" || reason === "already_member")) {
    return t(SKIP_REASON[reason]);
  }
  if (error.status === 404) return t("invitations.reason.not_found");
  if (error.status === 422 && !error.fieldErrors().email) return t("invitations.reason.no_email");
  if (error.status === 429) {
    return t("invitations.tooMany", { seconds: error.retryAfterS ?? 60 });
  }
  if (error.status === 503) return t("invitations.sendFailed");
  return null;
}
