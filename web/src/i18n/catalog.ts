// Every feature's messages, under the feature's name as prefix: t("contacts.list.title").
// Generated shape, edited by hand: add a feature's two imports and its line in each table.

import commonEn from "../features/common/messages.en.json";
import commonNl from "../features/common/messages.nl.json";
import authEn from "../features/auth/messages.en.json";
import authNl from "../features/auth/messages.nl.json";
import shellEn from "../features/shell/messages.en.json";
import shellNl from "../features/shell/messages.nl.json";
import searchEn from "../features/search/messages.en.json";
import searchNl from "../features/search/messages.nl.json";
import contactsEn from "../features/contacts/messages.en.json";
import contactsNl from "../features/contacts/messages.nl.json";
import groupsEn from "../features/groups/messages.en.json";
import groupsNl from "../features/groups/messages.nl.json";
import familiesEn from "../features/families/messages.en.json";
import familiesNl from "../features/families/messages.nl.json";
import companiesEn from "../features/companies/messages.en.json";
import companiesNl from "../features/companies/messages.nl.json";
import resourcesEn from "../features/resources/messages.en.json";
import resourcesNl from "../features/resources/messages.nl.json";
import finderEn from "../features/finder/messages.en.json";
import finderNl from "../features/finder/messages.nl.json";
import importsEn from "../features/imports/messages.en.json";
import importsNl from "../features/imports/messages.nl.json";
import duplicatesEn from "../features/duplicates/messages.en.json";
import duplicatesNl from "../features/duplicates/messages.nl.json";
import membershipsEn from "../features/memberships/messages.en.json";
import membershipsNl from "../features/memberships/messages.nl.json";
import affiliationEn from "../features/affiliation/messages.en.json";
import affiliationNl from "../features/affiliation/messages.nl.json";
import billingEn from "../features/billing/messages.en.json";
import billingNl from "../features/billing/messages.nl.json";
import newslettersEn from "../features/newsletters/messages.en.json";
import newslettersNl from "../features/newsletters/messages.nl.json";
import adminEn from "../features/admin/messages.en.json";
import adminNl from "../features/admin/messages.nl.json";
import portalEn from "../features/portal/messages.en.json";
import portalNl from "../features/portal/messages.nl.json";
import invitationsEn from "../features/invitations/messages.en.json";
import invitationsNl from "../features/invitations/messages.nl.json";
import lettersEn from "../features/letters/messages.en.json";
import lettersNl from "../features/letters/messages.nl.json";
import remindersEn from "../features/reminders/messages.en.json";
import remindersNl from "../features/reminders/messages.nl.json";

const nl = {
  common: commonNl,
  auth: authNl,
  shell: shellNl,
  search: searchNl,
  contacts: contactsNl,
  groups: groupsNl,
  families: familiesNl,
  companies: companiesNl,
  resources: resourcesNl,
  finder: finderNl,
  imports: importsNl,
  duplicates: duplicatesNl,
  memberships: membershipsNl,
  affiliation: affiliationNl,
  billing: billingNl,
  newsletters: newslettersNl,
  admin: adminNl,
  portal: portalNl,
  invitations: invitationsNl,
  letters: lettersNl,
  reminders: remindersNl,
};

type Catalog = typeof nl;
// English must have every Dutch key (the browser test compares both ways).
const en: { [F in keyof Catalog]: Record<keyof Catalog[F], string> } = {
  common: commonEn,
  auth: authEn,
  shell: shellEn,
  search: searchEn,
  contacts: contactsEn,
  groups: groupsEn,
  families: familiesEn,
  companies: companiesEn,
  resources: resourcesEn,
  finder: finderEn,
  imports: importsEn,
  duplicates: duplicatesEn,
  memberships: membershipsEn,
  affiliation: affiliationEn,
  billing: billingEn,
  newsletters: newslettersEn,
  admin: adminEn,
  portal: portalEn,
  invitations: invitationsEn,
  letters: lettersEn,
  reminders: remindersEn,
};

export type MessageKey = {
  [F in keyof Catalog]: `${F & string}.${keyof Catalog[F] & string}`;
}[keyof Catalog];

function flatten(tree: Record<string, Record<string, string>>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [feature, messages] of Object.entries(tree)) {
    for (const [key, text] of Object.entries(messages)) flat[`${feature}.${key}`] = text;
  }
  return flat;
}

export const catalogs: Record<"nl" | "en", Record<string, string>> = {
  nl: flatten(nl),
  en: flatten(en),
};
