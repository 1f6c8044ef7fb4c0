// The profile's status line under the name: member or not today, and of which types.
import { useI18n } from "../../../i18n/i18n";
import type { Contact } from "./profileApi";

export function MembershipBadge({ membership }: { membership: Contact["membership"] }) {
  const { t, date } = useI18n();
  const member = membership.status === "member";
  return (
    <p className="profile-status">
      <span className={member ? "badge badge-ok" : "badge"}>
        {member ? t("contacts.profile.status.member") : t("contacts.profile.status.nonMember")}
      </span>
      {membership.types.length > 0 ? (
        <span>{membership.types.map((type) => type.name).join(", ")}</span>
      ) : null}
      <span className="profile-muted">
        {t("contacts.profile.status.on", { date: date(membership.on) })}
      </span>
    </p>
  );
}
