// The access rights a group grants its members, as the memberships service keeps them (read-only).
import { useI18n } from "../../i18n/i18n";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useGroupRights } from "./groupApi";

export function GroupRights({ groupId }: { groupId: string }) {
  const { t } = useI18n();
  const rights = useGroupRights(groupId, true);
  const granted = rights.data?.rights ?? [];
  return (
    <section className="card" aria-labelledby="group-rights-heading">
      <h2 id="group-rights-heading">{t("groups.rights.heading")}</h2>
      {rights.isPending ? <Loading /> : null}
      <ProblemAlert error={rights.error} />
      {rights.isSuccess && granted.length === 0 ? <p>{t("groups.rights.none")}</p> : null}
      {granted.length ? (
        <ul className="group-rights">
          {granted.map((right) => (
            <li key={right}>
              <code>{right}</code>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="group-muted">{t("groups.rights.hint")}</p>
    </section>
  );
}
