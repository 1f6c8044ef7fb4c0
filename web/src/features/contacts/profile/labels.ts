// Words for the API's codes, in the chosen language.
import { useI18n } from "../../../i18n/i18n";

export function useRoleLabel() {
  const { t } = useI18n();
  return (role: "parent" | "child" | "partner" | "other") =>
    ({
      parent: t("contacts.profile.family.roles.parent"),
      child: t("contacts.profile.family.roles.child"),
      partner: t("contacts.profile.family.roles.partner"),
      other: t("contacts.profile.family.roles.other"),
    })[role];
}

export function useMembershipStatusLabel() {
  const { t } = useI18n();
  return (status: "upcoming" | "active" | "ended") =>
    ({
      upcoming: t("contacts.profile.memberships.statuses.upcoming"),
      active: t("contacts.profile.memberships.statuses.active"),
      ended: t("contacts.profile.memberships.statuses.ended"),
    })[status];
}

export function useChangeLabel() {
  const { t } = useI18n();
  const labels: Record<string, string> = {
    created: t("contacts.profile.history.changes.created"),
    updated: t("contacts.profile.history.changes.updated"),
    deleted: t("contacts.profile.history.changes.deleted"),
    linked: t("contacts.profile.history.changes.linked"),
    unlinked: t("contacts.profile.history.changes.unlinked"),
  };
  return (change: string) => labels[change] ?? change;
}
