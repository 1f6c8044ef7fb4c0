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

/** The history's field names (the contact's own fields, and the links it has). */
export function useFieldLabel() {
  const { t } = useI18n();
  const labels: Record<string, string> = {
    contact: t("contacts.profile.history.fields.contact"),
    first_name: t("contacts.profile.history.fields.first_name"),
    last_name: t("contacts.profile.history.fields.last_name"),
    emails: t("contacts.profile.history.fields.emails"),
    phone: t("contacts.profile.history.fields.phone"),
    street: t("contacts.profile.history.fields.street"),
    number: t("contacts.profile.history.fields.number"),
    postcode: t("contacts.profile.history.fields.postcode"),
    city: t("contacts.profile.history.fields.city"),
    country: t("contacts.profile.history.fields.country"),
    iban: t("contacts.profile.history.fields.iban"),
    birth_date: t("contacts.profile.history.fields.birth_date"),
    notes: t("contacts.profile.history.fields.notes"),
    group: t("contacts.profile.history.fields.group"),
    family: t("contacts.profile.history.fields.family"),
    company: t("contacts.profile.history.fields.company"),
  };
  return (field: string) => labels[field] ?? field;
}
