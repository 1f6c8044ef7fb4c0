// Memberships with their history (every membership the contact had), and the access rights
// they and the contact's groups grant today.
import { useI18n } from "../../../i18n/i18n";
import type { EffectiveAccess, MembershipPage, Section } from "./profileApi";
import { SectionBody, isShown } from "./SectionBody";
import { useMembershipStatusLabel } from "./labels";

const STATUS_BADGE = { active: "badge badge-ok", upcoming: "badge badge-warn", ended: "badge" };

interface MembershipsTabProps {
  memberships: Section<MembershipPage>;
  access: Section<EffectiveAccess>;
}

export function MembershipsTab({ memberships, access }: MembershipsTabProps) {
  const { t } = useI18n();
  return (
    <>
      {isShown(memberships) ? (
        <section className="card" aria-labelledby="profile-memberships-heading">
          <h2 id="profile-memberships-heading">{t("contacts.profile.memberships.heading")}</h2>
          <SectionBody section={memberships} what={t("contacts.profile.services.memberships")}>
            {(page) => <MembershipTable page={page} />}
          </SectionBody>
        </section>
      ) : null}
      {isShown(access) ? (
        <section className="card" aria-labelledby="profile-access-heading">
          <h2 id="profile-access-heading">{t("contacts.profile.access.heading")}</h2>
          <SectionBody section={access} what={t("contacts.profile.services.memberships")}>
            {(rights) => <AccessList access={rights} />}
          </SectionBody>
        </section>
      ) : null}
    </>
  );
}

function MembershipTable({ page }: { page: MembershipPage }) {
  const { t, date } = useI18n();
  const statusLabel = useMembershipStatusLabel();
  if (page.items.length === 0) return <p>{t("contacts.profile.memberships.none")}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{t("contacts.profile.memberships.heading")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("contacts.profile.memberships.type")}</th>
            <th scope="col">{t("contacts.profile.memberships.number")}</th>
            <th scope="col">{t("contacts.profile.memberships.start")}</th>
            <th scope="col">{t("contacts.profile.memberships.end")}</th>
            <th scope="col">{t("contacts.profile.memberships.status")}</th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((membership) => (
            <tr key={membership.id}>
              <td>{membership.type_name}</td>
              <td>{membership.member_number}</td>
              <td>{date(membership.start_date)}</td>
              <td>{membership.end_date ? date(membership.end_date) : "—"}</td>
              <td>
                <span className={STATUS_BADGE[membership.status]}>
                  {statusLabel(membership.status)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AccessList({ access }: { access: EffectiveAccess }) {
  const { t, date } = useI18n();
  if (access.rights.length === 0) return <p>{t("contacts.profile.access.none")}</p>;
  return (
    <>
      <p className="profile-muted">{t("contacts.profile.access.on", { date: date(access.on) })}</p>
      <ul className="profile-list">
        {access.rights.map((right) => (
          <li key={right.right}>
            <code>{right.right}</code>
            <span className="profile-muted">
              {right.sources
                .map((source) =>
                  source.kind === "group"
                    ? t("contacts.profile.access.viaGroup", { name: source.group_name ?? "" })
                    : t("contacts.profile.access.viaMembership", { name: source.type_name ?? "" }),
                )
                .join(" · ")}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
