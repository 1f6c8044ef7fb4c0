// The contact's groups, with adding to and removing from a group when the role may.
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { useAuth } from "../../../auth/AuthProvider";
import { useI18n } from "../../../i18n/i18n";
import { Field } from "../../../ui/Field";
import { ProblemAlert } from "../../../ui/Problem";
import { useGroupChoices, useMembershipChange } from "../../groups/groupApi";
import type { GroupPage, Section } from "./profileApi";
import { SectionBody } from "./SectionBody";

const MEMBER_ROUTE = "/contacts/groups/{group_id}/members/{contact_id}";

export function GroupsTab({ contactId, section }: { contactId: string; section: Section<GroupPage> }) {
  const { t, number } = useI18n();
  const { can } = useAuth();
  const change = useMembershipChange();
  const [done, setDone] = useState("");
  const mayAdd = can("PUT", MEMBER_ROUTE);
  const mayRemove = can("DELETE", MEMBER_ROUTE);
  const current = new Set(section.data?.items.map((group) => group.id) ?? []);

  const remove = (groupId: string, name: string) =>
    change.mutate(
      { groupId, contactId, change: "remove" },
      { onSuccess: () => setDone(t("contacts.profile.groups.removed", { name })) },
    );

  return (
    <section className="card" aria-labelledby="profile-groups-heading">
      <h2 id="profile-groups-heading">{t("contacts.profile.groups.heading")}</h2>
      <SectionBody section={section} what={t("contacts.profile.services.contacts")}>
        {(page) =>
          page.items.length === 0 ? (
            <p>{t("contacts.profile.groups.none")}</p>
          ) : (
            <>
              <ul className="profile-list">
                {page.items.map((group) => (
                  <li key={group.id}>
                    <Link to={`/groups/${group.id}`}>{group.name}</Link>
                    {mayRemove ? (
                      <button
                        type="button"
                        className="btn"
                        disabled={change.isPending}
                        onClick={() => remove(group.id, group.name)}
                      >
                        {t("contacts.profile.groups.leave")}{" "}
                        <span className="visually-hidden">
                          {t("contacts.profile.groups.removeFrom", { name: group.name })}
                        </span>
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
              {page.total > page.items.length ? (
                <p className="profile-muted">
                  {t("contacts.profile.groups.more", {
                    shown: number(page.items.length),
                    total: number(page.total),
                  })}
                </p>
              ) : null}
            </>
          )
        }
      </SectionBody>
      <p role="status" className="profile-done">
        {done}
      </p>
      <ProblemAlert error={change.error} />
      {mayAdd ? (
        <AddToGroup
          current={current}
          busy={change.isPending}
          onAdd={(groupId, name) =>
            change.mutate(
              { groupId, contactId, change: "add" },
              { onSuccess: () => setDone(t("contacts.profile.groups.added", { name })) },
            )
          }
        />
      ) : null}
    </section>
  );
}

interface AddToGroupProps {
  current: ReadonlySet<string>;
  busy: boolean;
  onAdd: (groupId: string, name: string) => void;
}

function AddToGroup({ current, busy, onAdd }: AddToGroupProps) {
  const { t } = useI18n();
  const choices = useGroupChoices();
  const [chosen, setChosen] = useState("");
  const open = (choices.data?.items ?? []).filter((group) => !current.has(group.id));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const group = open.find((candidate) => candidate.id === chosen);
    if (!group) return;
    onAdd(group.id, group.name);
    setChosen("");
  };

  return (
    <form className="toolbar profile-add" onSubmit={submit}>
      <Field label={t("contacts.profile.groups.choose")}>
        {(control) => (
          <select {...control} value={chosen} onChange={(event) => setChosen(event.target.value)}>
            <option value="">{t("contacts.profile.groups.choosePlaceholder")}</option>
            {open.map((group) => (
              <option key={group.id} value={group.id}>
                {group.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field">
        <button type="submit" className="btn btn-primary" disabled={!chosen || busy}>
          {t("contacts.profile.groups.add")}
        </button>
      </div>
      <ProblemAlert error={choices.error} />
    </form>
  );
}
