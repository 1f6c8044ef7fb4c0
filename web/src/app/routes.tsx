// Every page of the staff app: its path, the route it needs (from the gateway's policy, via
// /auth/me) and the screen, loaded when first opened. A page the role may not use shows
// "not allowed", never a broken page; navigation shows only what the role may use.
import { lazy, type ComponentType, type LazyExoticComponent } from "react";

import type { MessageKey } from "../i18n/catalog";
import type { Method } from "../auth/AuthProvider";

export interface PageRoute {
  path: string;
  needs: [Method, string];
  screen: LazyExoticComponent<ComponentType>;
  /** In the main navigation, under this label, in this section. */
  nav?: MessageKey;
  section?: Section;
}

export type Section = "contacts" | "memberships" | "billing" | "newsletters" | "admin";
export const SECTIONS: Section[] = ["contacts", "memberships", "billing", "newsletters", "admin"];

const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

export const PAGES: PageRoute[] = [
  {
    path: "/contacts",
    needs: ["GET", "/contacts/contacts"],
    screen: page(() => import("../features/contacts/ContactListPage")),
    nav: "shell.nav.contacts",
    section: "contacts",
  },
  {
    path: "/contacts/new",
    needs: ["POST", "/contacts/contacts"],
    screen: page(() => import("../features/contacts/ContactCreatePage")),
  },
  {
    path: "/contacts/:contactId",
    needs: ["GET", "/contacts/{contact_id}/profile"],
    screen: page(() => import("../features/contacts/ContactProfilePage")),
  },
  {
    path: "/contacts/:contactId/edit",
    needs: ["PATCH", "/contacts/contacts/{contact_id}"],
    screen: page(() => import("../features/contacts/ContactEditPage")),
  },
  {
    path: "/groups",
    needs: ["GET", "/contacts/groups"],
    screen: page(() => import("../features/groups/GroupListPage")),
    nav: "shell.nav.groups",
    section: "contacts",
  },
  {
    path: "/groups/:groupId",
    needs: ["GET", "/contacts/groups/{group_id}"],
    screen: page(() => import("../features/groups/GroupPage")),
  },
  {
    path: "/families",
    needs: ["GET", "/contacts/families"],
    screen: page(() => import("../features/families/FamilyListPage")),
    nav: "shell.nav.families",
    section: "contacts",
  },
  {
    path: "/families/:familyId",
    needs: ["GET", "/contacts/families/{family_id}"],
    screen: page(() => import("../features/families/FamilyPage")),
  },
  {
    path: "/companies",
    needs: ["GET", "/contacts/companies"],
    screen: page(() => import("../features/companies/CompanyListPage")),
    nav: "shell.nav.companies",
    section: "contacts",
  },
  {
    path: "/companies/:companyId",
    needs: ["GET", "/contacts/companies/{company_id}"],
    screen: page(() => import("../features/companies/CompanyPage")),
  },
  {
    path: "/resources",
    needs: ["GET", "/contacts/resources"],
    screen: page(() => import("../features/resources/ResourceListPage")),
    nav: "shell.nav.resources",
    section: "contacts",
  },
  {
    path: "/resources/:resourceId",
    needs: ["GET", "/contacts/resources/{resource_id}"],
    screen: page(() => import("../features/resources/ResourcePage")),
  },
  {
    path: "/search",
    needs: ["POST", "/contacts/contacts/query"],
    screen: page(() => import("../features/finder/FinderPage")),
    nav: "shell.nav.finder",
    section: "contacts",
  },
  {
    path: "/imports",
    needs: ["POST", "/contacts/contact-imports"],
    screen: page(() => import("../features/imports/ImportPage")),
    nav: "shell.nav.imports",
    section: "contacts",
  },
  {
    path: "/duplicates",
    needs: ["GET", "/contacts/duplicates"],
    screen: page(() => import("../features/duplicates/DuplicatesPage")),
    nav: "shell.nav.duplicates",
    section: "contacts",
  },
  {
    path: "/membership-types",
    needs: ["GET", "/memberships/membership-types"],
    screen: page(() => import("../features/memberships/MembershipTypesPage")),
    nav: "shell.nav.membershipTypes",
    section: "memberships",
  },
  {
    path: "/membership-types/:typeId",
    needs: ["GET", "/memberships/membership-types/{type_id}"],
    screen: page(() => import("../features/memberships/MembershipTypePage")),
  },
  {
    path: "/members",
    needs: ["GET", "/memberships/members/counts"],
    screen: page(() => import("../features/memberships/MembersPage")),
    nav: "shell.nav.members",
    section: "memberships",
  },
  {
    path: "/cards",
    needs: ["POST", "/memberships/cards/sheet"],
    screen: page(() => import("../features/memberships/MemberCardsPage")),
    nav: "shell.nav.cards",
    section: "memberships",
  },
  {
    path: "/affiliation",
    needs: ["GET", "/memberships/affiliation/profiles"],
    screen: page(() => import("../features/affiliation/AffiliationPage")),
    nav: "shell.nav.affiliation",
    section: "memberships",
  },
  {
    path: "/letters",
    needs: ["GET", "/billing/letters/templates"],
    screen: page(() => import("../features/letters/LettersPage")),
    nav: "shell.nav.letters",
    section: "memberships",
  },
  {
    path: "/letters/:templateId",
    needs: ["GET", "/billing/letters/templates/{template_id}"],
    screen: page(() => import("../features/letters/LetterTemplatePage")),
  },
  {
    path: "/invoices",
    needs: ["GET", "/billing/invoices"],
    screen: page(() => import("../features/billing/InvoiceListPage")),
    nav: "shell.nav.invoices",
    section: "billing",
  },
  {
    path: "/reminders",
    needs: ["GET", "/billing/reminders/levels"],
    screen: page(() => import("../features/reminders/RemindersPage")),
    nav: "shell.nav.reminders",
    section: "billing",
  },
  {
    path: "/invoices/:invoiceId",
    needs: ["GET", "/billing/invoices/{invoice_id}"],
    screen: page(() => import("../features/billing/InvoicePage")),
  },
  {
    path: "/contribution-runs",
    needs: ["GET", "/billing/contribution-runs"],
    screen: page(() => import("../features/billing/ContributionRunsPage")),
    nav: "shell.nav.contributionRuns",
    section: "billing",
  },
  {
    path: "/contribution-runs/:runId",
    needs: ["GET", "/billing/contribution-runs/{run_id}"],
    screen: page(() => import("../features/billing/ContributionRunPage")),
  },
  {
    path: "/sepa",
    needs: ["POST", "/billing/collections"],
    screen: page(() => import("../features/billing/SepaPage")),
    nav: "shell.nav.sepa",
    section: "billing",
  },
  {
    path: "/mailing-lists",
    needs: ["GET", "/newsletters/lists"],
    screen: page(() => import("../features/newsletters/MailingListsPage")),
    nav: "shell.nav.mailingLists",
    section: "newsletters",
  },
  {
    path: "/mailing-lists/:listId",
    needs: ["GET", "/newsletters/lists/{list_id}"],
    screen: page(() => import("../features/newsletters/MailingListPage")),
  },
  {
    path: "/campaigns",
    needs: ["GET", "/newsletters/campaigns"],
    screen: page(() => import("../features/newsletters/CampaignsPage")),
    nav: "shell.nav.campaigns",
    section: "newsletters",
  },
  {
    path: "/campaigns/:campaignId",
    needs: ["GET", "/newsletters/campaigns/{campaign_id}"],
    screen: page(() => import("../features/newsletters/CampaignPage")),
  },
  {
    path: "/bouncing-addresses",
    needs: ["GET", "/newsletters/bouncing-addresses"],
    screen: page(() => import("../features/newsletters/BouncingAddressesPage")),
    nav: "shell.nav.bouncing",
    section: "newsletters",
  },
  {
    path: "/admin/users",
    needs: ["GET", "/users"],
    screen: page(() => import("../features/admin/UsersPage")),
    nav: "shell.nav.users",
    section: "admin",
  },
  {
    path: "/admin/audit",
    needs: ["GET", "/audit"],
    screen: page(() => import("../features/admin/AuditPage")),
    nav: "shell.nav.audit",
    section: "admin",
  },
];

/** A member's own portal: their details, family, memberships and card, invoices and
 * subscriptions. The gateway checks each object is theirs; the app only reflects it. */
export interface PortalRoute {
  path: string;
  screen: LazyExoticComponent<ComponentType>;
  nav: MessageKey;
}

export const PORTAL_PAGES: PortalRoute[] = [
  {
    path: "/",
    screen: page(() => import("../features/portal/MyDetailsPage")),
    nav: "portal.nav.details",
  },
  {
    path: "/family",
    screen: page(() => import("../features/portal/MyFamilyPage")),
    nav: "portal.nav.family",
  },
  {
    path: "/memberships",
    screen: page(() => import("../features/portal/MyMembershipsPage")),
    nav: "portal.nav.memberships",
  },
  {
    path: "/invoices",
    screen: page(() => import("../features/portal/MyInvoicesPage")),
    nav: "portal.nav.invoices",
  },
  {
    path: "/subscriptions",
    screen: page(() => import("../features/portal/MySubscriptionsPage")),
    nav: "portal.nav.subscriptions",
  },
];

/** Pages anyone may open without signing in (links from e-mails and member cards). */
export const PUBLIC_PAGES: { path: string; screen: LazyExoticComponent<ComponentType> }[] = [
  { path: "/verify/:token", screen: page(() => import("../features/memberships/CardVerifyPage")) },
  { path: "/invite/:token", screen: page(() => import("../features/auth/AcceptInvitationPage")) },
  { path: "/forgot-password", screen: page(() => import("../features/auth/ForgotPasswordPage")) },
  {
    path: "/reset-password/:token",
    screen: page(() => import("../features/auth/ResetPasswordPage")),
  },
];
