// My family: the family I belong to and my place in it. The family's other members are not
// open to a member (the gateway allows a member only their own contact's routes).
import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useMyContactId, useMyFamily, type FamilyRole } from "./portalApi";
import "./portal.css";

const ROLE: Record<FamilyRole, MessageKey> = {
  parent: "portal.family.role.parent",
  child: "portal.family.role.child",
  partner: "portal.family.role.partner",
  other: "portal.family.role.other",
};

export default function MyFamilyPage() {
  const { t, date } = useI18n();
  const family = useMyFamily(useMyContactId());
  return (
    <Page title={t("portal.nav.family")}>
      {family.isPending ? <Loading /> : null}
      <ProblemAlert error={family.error} />
      {family.data === null ? <p className="card">{t("portal.family.none")}</p> : null}
      {family.data ? (
        <section className="card" aria-labelledby="my-family-name">
          <h2 id="my-family-name">{family.data.name ?? t("portal.family.unnamed")}</h2>
          <dl className="portal-facts">
            <dt>{t("portal.family.myRole")}</dt>
            <dd>{t(ROLE[family.data.role])}</dd>
            <dt>{t("portal.family.since")}</dt>
            <dd>{date(family.data.linkedAt)}</dd>
          </dl>
          <p className="muted">{t("portal.family.askClub")}</p>
        </section>
      ) : null}
    </Page>
  );
}
