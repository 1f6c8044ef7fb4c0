// My memberships (each with its status today) and my member card: a PDF with the QR code that
// the club scans, one per membership I hold today.
import { useState } from "react";

import { download } from "../../api/client";
import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useMyContactId, useMyMemberships, type Membership } from "./portalApi";
import "./portal.css";

const STATUS: Record<Membership["status"], MessageKey> = {
  active: "portal.memberships.status.active",
  upcoming: "portal.memberships.status.upcoming",
  ended: "portal.memberships.status.ended",
};

const STATUS_BADGE: Record<Membership["status"], string> = {
  active: "badge badge-ok",
  upcoming: "badge badge-warn",
  ended: "badge",
};

export default function MyMembershipsPage() {
  const { t } = useI18n();
  const id = useMyContactId();
  const memberships = useMyMemberships(id);
  // Newest first: the one that matters today on top.
  const items = [...(memberships.data?.items ?? [])].reverse();
  const active = items.filter((membership) => membership.status === "active");
  return (
    <Page title={t("portal.nav.memberships")}>
      {memberships.isPending ? <Loading /> : null}
      <ProblemAlert error={memberships.error} />
      {memberships.isSuccess ? <MyCard contactId={id} active={active} /> : null}
      {memberships.isSuccess ? (
        <section className="card" aria-labelledby="my-memberships-heading">
          <h2 id="my-memberships-heading">{t("portal.memberships.heading")}</h2>
          {items.length === 0 ? <p>{t("portal.memberships.none")}</p> : <MembershipTable items={items} />}
        </section>
      ) : null}
    </Page>
  );
}

function MyCard({ contactId, active }: { contactId: string; active: Membership[] }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fetchCard = async (membership: Membership) => {
    setBusy(membership.id);
    setError(null);
    try {
      await download(
        `/api/v1/memberships/contacts/${contactId}/card?type_id=${encodeURIComponent(membership.type_id)}`,
        `card-${membership.member_number}.pdf`,
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card" aria-labelledby="my-card-heading">
      <h2 id="my-card-heading">{t("portal.card.heading")}</h2>
      {active.length === 0 ? (
        <p>{t("portal.card.none")}</p>
      ) : (
        <>
          <p>{t("portal.card.intro")}</p>
          <div className="portal-actions">
            {active.map((membership) => (
              <button
                key={membership.id}
                type="button"
                className="btn btn-primary"
                disabled={busy !== null}
                onClick={() => void fetchCard(membership)}
              >
                {active.length > 1
                  ? t("portal.card.downloadType", { type: membership.type_name })
                  : t("portal.card.download")}
              </button>
            ))}
          </div>
          {busy ? (
            <p className="loading" role="status">
              {t("portal.card.preparing")}
            </p>
          ) : null}
          <ProblemAlert error={error} />
        </>
      )}
    </section>
  );
}

function MembershipTable({ items }: { items: Membership[] }) {
  const { t, date } = useI18n();
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{t("portal.memberships.heading")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("portal.memberships.type")}</th>
            <th scope="col">{t("portal.memberships.number")}</th>
            <th scope="col">{t("portal.memberships.period")}</th>
            <th scope="col">{t("portal.memberships.status")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((membership) => (
            <tr key={membership.id}>
              <td>{membership.type_name}</td>
              <td>{membership.member_number}</td>
              <td>
                {membership.end_date
                  ? t("portal.memberships.fromTo", {
                      from: date(membership.start_date),
                      to: date(membership.end_date),
                    })
                  : t("portal.memberships.from", { from: date(membership.start_date) })}
              </td>
              <td>
                <span className={STATUS_BADGE[membership.status]}>{t(STATUS[membership.status])}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
