// /verify/:token — what a member card's QR code opens, on a phone, without signing in: whether
// the card is valid today, with the holder's name and membership type when the card is genuine.
// A plain fetch: the route is public and no session may be asked for.
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { useParams } from "react-router";

import type { MessageKey } from "../../i18n/catalog";
import { LOCALES, useI18n, type Locale } from "../../i18n/i18n";
import type { CardCheck } from "./membershipApi";
import "./cardVerify.css";

type Verdict = "valid" | "expired" | "no_membership" | "unknown";

const HEADLINE: Record<Verdict, MessageKey> = {
  valid: "memberships.verify.valid",
  expired: "memberships.verify.expired",
  no_membership: "memberships.verify.noMembership",
  unknown: "memberships.verify.unknown",
};

const EXPLANATION: Record<Verdict, MessageKey> = {
  valid: "memberships.verify.validBody",
  expired: "memberships.verify.expiredBody",
  no_membership: "memberships.verify.noMembershipBody",
  unknown: "memberships.verify.unknownBody",
};

const SYMBOL: Record<Verdict, string> = { valid: "✓", expired: "!", no_membership: "!", unknown: "?" };

async function checkCard(token: string, signal: AbortSignal): Promise<CardCheck> {
  const response = await fetch(`/api/v1/memberships/cards/verify/${encodeURIComponent(token)}`, {
    signal,
    credentials: "omit",
    headers: { accept: "application/json" },
  });
  // A token too long or malformed for the route is no card this club issued either.
  if (response.status === 404 || response.status === 422) {
    return { valid: false, status: "invalid", reason: "" };
  }
  if (!response.ok) throw new Error(String(response.status));
  return (await response.json()) as CardCheck;
}

function verdictOf(check: CardCheck): Verdict {
  if (check.status === "invalid") return "unknown";
  return check.status;
}

export default function CardVerifyPage() {
  const { t, date } = useI18n();
  const { token = "" } = useParams();
  const check = useQuery({
    queryKey: ["memberships", "verify", token],
    queryFn: ({ signal }) => checkCard(token, signal),
    retry: 1,
    staleTime: 0,
  });
  const verdict = check.data ? verdictOf(check.data) : null;

  useEffect(() => {
    document.title = `${t("memberships.verify.title")} · Kring`;
  }, [t]);

  return (
    <main id="main" className="verify">
      <header className="verify-header">
        <span className="verify-brand">Kring</span>
        <LanguageSwitch />
      </header>
      <h1 className="verify-title">{t("memberships.verify.title")}</h1>
      {check.isPending ? (
        <p className="verify-waiting" role="status">
          {t("memberships.verify.checking")}
        </p>
      ) : null}
      {check.isError ? (
        <div className="verify-result verify-error" role="alert">
          <p className="verify-headline">{t("memberships.verify.failed")}</p>
          <button type="button" className="btn" onClick={() => void check.refetch()}>
            {t("memberships.verify.retry")}
          </button>
        </div>
      ) : null}
      {check.data && verdict ? (
        <section className={`verify-result verify-${verdict}`} aria-live="polite">
          <p className="verify-headline">
            <span className="verify-symbol" aria-hidden="true">
              {SYMBOL[verdict]}
            </span>
            {t(HEADLINE[verdict])}
          </p>
          <p className="verify-explanation">{t(EXPLANATION[verdict])}</p>
          {check.data.name || check.data.member_number ? (
            <dl className="verify-facts">
              {check.data.name ? (
                <>
                  <dt>{t("memberships.verify.name")}</dt>
                  <dd className="verify-name">{check.data.name}</dd>
                </>
              ) : null}
              {check.data.membership_type ? (
                <>
                  <dt>{t("memberships.verify.type")}</dt>
                  <dd>{check.data.membership_type}</dd>
                </>
              ) : null}
              {check.data.member_number ? (
                <>
                  <dt>{t("memberships.verify.number")}</dt>
                  <dd>{check.data.member_number}</dd>
                </>
              ) : null}
              <dt>{t("memberships.verify.validUntil")}</dt>
              <dd>
                {check.data.valid_until
                  ? date(check.data.valid_until)
                  : t("memberships.verify.noEnd")}
              </dd>
            </dl>
          ) : null}
        </section>
      ) : null}
      <p className="verify-checked">
        {t("memberships.verify.checkedOn", { date: date(new Date()) })}
      </p>
    </main>
  );
}

function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <nav className="verify-languages" aria-label={t("memberships.verify.language")}>
      {LOCALES.map((code: Locale) => (
        <button
          key={code}
          type="button"
          lang={code}
          aria-pressed={code === locale}
          onClick={() => setLocale(code)}
        >
          {code === "nl" ? "Nederlands" : "English"}
        </button>
      ))}
    </nav>
  );
}
