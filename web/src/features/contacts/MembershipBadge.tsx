// Whether a contact is a member today, and of which types.
import { useI18n } from "../../i18n/i18n";

interface MembershipBadgeProps {
  status: "member" | "non_member";
  types: string[];
}

export function MembershipBadge({ status, types }: MembershipBadgeProps) {
  const { t } = useI18n();
  if (status !== "member") {
    return <span className="badge">{t("contacts.membership.non_member")}</span>;
  }
  return (
    <span className="badge badge-ok">
      {types.length
        ? t("contacts.membership.memberOf", { types: types.join(", ") })
        : t("contacts.membership.member")}
    </span>
  );
}
