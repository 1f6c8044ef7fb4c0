// The words for the service's codes (billing periods, terms, end reasons, statuses).
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/catalog";
import type { BillingPeriod, EndReason, Membership, MembershipType, TermKind } from "./membershipApi";

const BILLING: Record<BillingPeriod, MessageKey> = {
  yearly: "memberships.billing.yearly",
  monthly: "memberships.billing.monthly",
  one_off: "memberships.billing.one_off",
};

const TERM: Record<TermKind, MessageKey> = {
  seasonal: "memberships.term.seasonal",
  rolling: "memberships.term.rolling",
  fixed_months: "memberships.term.fixed_months",
  fixed_end: "memberships.term.fixed_end",
};

const REASON: Record<NonNullable<Membership["end_reason"]>, MessageKey> = {
  resigned: "memberships.reason.resigned",
  term_over: "memberships.reason.term_over",
  type_changed: "memberships.reason.type_changed",
  deceased: "memberships.reason.deceased",
  expelled: "memberships.reason.expelled",
  other: "memberships.reason.other",
};

const STATUS: Record<Membership["status"], MessageKey> = {
  upcoming: "memberships.status.upcoming",
  active: "memberships.status.active",
  ended: "memberships.status.ended",
};

export const STATUS_BADGE: Record<Membership["status"], string> = {
  active: "badge badge-ok",
  upcoming: "badge badge-warn",
  ended: "badge",
};

export function useMembershipLabels() {
  const { t, date, locale } = useI18n();
  const dayAndMonth = new Intl.DateTimeFormat(locale === "nl" ? "nl-BE" : "en-GB", {
    day: "numeric",
    month: "long",
  });
  const periodStart = (type: MembershipType) =>
    // The year is only a carrier: 2001 has every day a period may start on.
    dayAndMonth.format(new Date(2001, type.period_start_month - 1, type.period_start_day));
  return {
    billing: (period: BillingPeriod) => t(BILLING[period]),
    termKind: (kind: TermKind) => t(TERM[kind]),
    reason: (reason: EndReason | Membership["end_reason"]) => (reason ? t(REASON[reason]) : ""),
    status: (status: Membership["status"]) => t(STATUS[status]),
    /** A type's term in words: "Seizoen vanaf 1 september", "12 maanden", … */
    term: (type: MembershipType) => {
      switch (type.term_kind) {
        case "seasonal":
          return t("memberships.term.seasonalFrom", {
            day: periodStart(type),
          });
        case "fixed_months":
          return t("memberships.term.months", { months: type.term_months ?? 0 });
        case "fixed_end":
          return t("memberships.term.until", { date: date(type.term_end_date) });
        default:
          return t("memberships.term.rolling");
      }
    },
    periodStart,
  };
}

