import { Link } from "react-router";

import { useI18n } from "../../../i18n/i18n";
import { Loading } from "../../../ui/Page";
import { ProblemAlert } from "../../../ui/Problem";
import { useContactFamily } from "./profileApi";
import { useRoleLabel } from "./labels";

export function FamilyTab({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const roleLabel = useRoleLabel();
  const family = useContactFamily(contactId);
  return (
    <section className="card" aria-labelledby="profile-family-heading">
      <h2 id="profile-family-heading">{t("contacts.profile.family.heading")}</h2>
      {family.isPending ? <Loading /> : null}
      <ProblemAlert error={family.error} />
      {family.data === null ? <p>{t("contacts.profile.family.none")}</p> : null}
      {family.data ? (
        <>
          <p>
            <Link to={`/families/${family.data.family.id}`}>{family.data.family.name}</Link>
            {" · "}
            {t("contacts.profile.family.role", { role: roleLabel(family.data.link.role) })}
          </p>
          <h3>{t("contacts.profile.family.members")}</h3>
          <ul className="profile-list">
            {family.data.family.members.map((member) => (
              <li key={member.contact_id}>
                {member.contact_id === contactId ? (
                  <span>{`${member.first_name} ${member.last_name}`}</span>
                ) : (
                  <Link to={`/contacts/${member.contact_id}`}>
                    {`${member.first_name} ${member.last_name}`}
                  </Link>
                )}
                <span className="badge">{roleLabel(member.role)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
