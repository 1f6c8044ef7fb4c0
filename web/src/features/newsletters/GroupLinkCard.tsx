// The group a list follows: its members are the list's subscribers (through events). Shown,
// changed with a group chooser, or unlinked (which also stops linking by an equal name).
import { useState } from "react";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useGroupChoices, useLinkGroup, useUnlinkGroup, type MailingList } from "./newslettersApi";

export function GroupLinkCard({ list }: { list: MailingList }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const mayLink = can("PUT", "/newsletters/lists/{list_id}/group");
  const mayUnlink = can("DELETE", "/newsletters/lists/{list_id}/group");
  const mayOpenGroup = can("GET", "/contacts/groups/{group_id}");
  const groups = useGroupChoices(mayLink);
  const link = useLinkGroup(list.id);
  const unlink = useUnlinkGroup(list.id);
  const [chosen, setChosen] = useState("");
  const [unlinking, setUnlinking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const choices = (groups.data?.items ?? []).filter((group) => group.id !== list.group_id);

  return (
    <section className="card nl-card" aria-labelledby="nl-group-heading">
      <h2 id="nl-group-heading">{t("newsletters.group.heading")}</h2>
      {list.group_id ? (
        <p>
          {t("newsletters.group.follows")}{" "}
          {mayOpenGroup ? (
            <Link to={`/groups/${list.group_id}`}>{list.group_name ?? list.group_id}</Link>
          ) : (
            <strong>{list.group_name ?? list.group_id}</strong>
          )}
        </p>
      ) : (
        <p>{t("newsletters.group.none")}</p>
      )}
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      {mayLink ? (
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            const group = choices.find((g) => g.id === chosen);
            link.mutate(chosen, {
              onSuccess: () => {
                setChosen("");
                setNotice(t("newsletters.group.linked", { name: group?.name ?? "" }));
              },
            });
          }}
        >
          <Field label={list.group_id ? t("newsletters.group.change") : t("newsletters.group.choose")}>
            {(control) => (
              <select {...control} value={chosen} onChange={(event) => setChosen(event.target.value)}>
                <option value="">{t("newsletters.group.placeholder")}</option>
                {choices.map((group) => (
                  <option key={group.id} value={group.id}>
                    {group.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="field">
            <button type="submit" className="btn btn-primary" disabled={!chosen || link.isPending}>
              {t("newsletters.group.link")}
            </button>
          </div>
          {list.group_id && mayUnlink ? (
            <div className="field">
              <button type="button" className="btn" onClick={() => setUnlinking(true)}>
                {t("newsletters.group.unlink")}
              </button>
            </div>
          ) : null}
        </form>
      ) : null}
      <ProblemAlert error={link.error ?? groups.error} />
      <ConfirmDialog
        open={unlinking}
        title={t("newsletters.group.unlinkTitle", { name: list.group_name ?? "" })}
        message={
          <>
            <p>{t("newsletters.group.unlinkBody")}</p>
            <ProblemAlert error={unlink.error} />
          </>
        }
        confirmLabel={t("newsletters.group.unlink")}
        danger
        busy={unlink.isPending}
        onCancel={() => {
          unlink.reset();
          setUnlinking(false);
        }}
        onConfirm={() =>
          unlink.mutate(undefined, {
            onSuccess: () => {
              setUnlinking(false);
              setNotice(t("newsletters.group.unlinked"));
            },
          })
        }
      />
    </section>
  );
}
