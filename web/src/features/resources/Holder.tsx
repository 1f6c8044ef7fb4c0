// Who holds an allocation: the contact's name linked to the profile, or the group's.
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { useContactName, useGroupName, type Allocation } from "./resourceApi";

export function Holder({ allocation }: { allocation: Pick<Allocation, "contact_id" | "group_id"> }) {
  const { t } = useI18n();
  const contact = useContactName(allocation.contact_id);
  const group = useGroupName(allocation.contact_id ? null : allocation.group_id);
  if (allocation.contact_id) {
    return (
      <Link to={`/contacts/${allocation.contact_id}`}>
        {contact.data ?? (contact.isError ? t("resources.holder.unknownContact") : "…")}
      </Link>
    );
  }
  if (allocation.group_id) {
    return (
      <Link to={`/groups/${allocation.group_id}`}>
        {t("resources.holder.group", {
          name: group.data ?? (group.isError ? t("resources.holder.unknownGroup") : "…"),
        })}
      </Link>
    );
  }
  return <>—</>;
}
