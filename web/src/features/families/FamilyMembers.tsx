// A family's members with their role: a link to each profile, the role changed in place (a new
// PUT re-links), removal, and adding a contact picked by any field.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ChosenContact } from "../../ui/ChosenContact";
import { ContactPicker, type ContactSummary } from "../../ui/ContactPicker";
import { LinkedContacts } from "../../ui/LinkedContacts";
import { ProblemAlert } from "../../ui/Problem";
import { FAMILY_ROLES, familyKeys, type Family, type FamilyRole } from "./familyApi";

export function FamilyMembers({ family }: { family: Family }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const mayLink = can("PUT", "/contacts/families/{family_id}/members/{contact_id}");
  const mayUnlink = can("DELETE", "/contacts/families/{family_id}/members/{contact_id}");
  const path = (contactId: string) => ({
    params: { path: { family_id: family.id, contact_id: contactId } },
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: familyKeys.all });

  const link = useMutation({
    mutationFn: ({ contactId, role }: { contactId: string; role: FamilyRole }) =>
      unwrap(
        api.PUT("/api/v1/contacts/families/{family_id}/members/{contact_id}", {
          ...path(contactId),
          body: { role },
        }),
      ),
    onSettled: refresh,
  });
  const unlink = useMutation({
    mutationFn: (contactId: string) =>
      unwrap(api.DELETE("/api/v1/contacts/families/{family_id}/members/{contact_id}", path(contactId))),
    onSettled: refresh,
  });

  const roleLabel = (role: FamilyRole) => t(`families.role.${role}`);
  const memberIds = new Set(family.members.map((member) => member.contact_id));

  return (
    <section className="card" aria-labelledby="family-members">
      <h2 id="family-members">{t("families.members.title")}</h2>
      <ProblemAlert error={link.error ?? unlink.error} />
      <LinkedContacts
        contacts={family.members}
        none={t("families.members.none")}
        caption={t("families.members.title")}
        headers={{
          name: t("families.members.name"),
          role: t("families.members.role"),
          email: t("families.members.email"),
          since: t("families.members.since"),
          actions: t("families.members.actions"),
        }}
        role={(member, name) =>
          mayLink ? (
            <select
              aria-label={t("families.members.roleOf", { name })}
              value={member.role}
              disabled={link.isPending}
              onChange={(event) =>
                link.mutate({ contactId: member.contact_id, role: event.target.value as FamilyRole })
              }
            >
              {FAMILY_ROLES.map((role) => (
                <option key={role} value={role}>
                  {roleLabel(role)}
                </option>
              ))}
            </select>
          ) : (
            roleLabel(member.role)
          )
        }
        actions={
          mayUnlink
            ? (member, name) => (
                <button
                  type="button"
                  className="btn"
                  disabled={unlink.isPending}
                  aria-label={t("families.members.removeNamed", { name })}
                  onClick={() => unlink.mutate(member.contact_id)}
                >
                  {t("common.remove")}
                </button>
              )
            : undefined
        }
      />
      {mayLink ? (
        <AddMember
          exclude={memberIds}
          firstMember={family.members.length === 0}
          busy={link.isPending}
          onAdd={(contactId, role) => link.mutate({ contactId, role })}
        />
      ) : null}
    </section>
  );
}

interface AddMemberProps {
  exclude: ReadonlySet<string>;
  firstMember: boolean;
  busy: boolean;
  onAdd: (contactId: string, role: FamilyRole) => void;
}

function AddMember({ exclude, firstMember, busy, onAdd }: AddMemberProps) {
  const { t } = useI18n();
  const roleId = useId();
  const [chosen, setChosen] = useState<ContactSummary | null>(null);
  const [role, setRole] = useState<FamilyRole>(firstMember ? "parent" : "child");
  return (
    <div className="add-member">
      <h3>{t("families.members.add")}</h3>
      <p className="field-hint">{t("families.members.moveHint")}</p>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={roleId}>{t("families.members.role")}</label>
          <select
            id={roleId}
            value={role}
            onChange={(event) => setRole(event.target.value as FamilyRole)}
          >
            {FAMILY_ROLES.map((option) => (
              <option key={option} value={option}>
                {t(`families.role.${option}`)}
              </option>
            ))}
          </select>
        </div>
        {chosen ? (
          <ChosenContact contact={chosen} onOther={() => setChosen(null)} />
        ) : (
          <ContactPicker label={t("common.contact.find")} exclude={exclude} onPick={setChosen} />
        )}
        <button
          type="button"
          className="btn btn-primary"
          disabled={!chosen || busy}
          onClick={() => {
            if (!chosen) return;
            onAdd(chosen.id, role);
            setChosen(null);
          }}
        >
          {t("families.members.addButton")}
        </button>
      </div>
    </div>
  );
}
