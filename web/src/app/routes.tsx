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
  /** In the main navigation, under this label. */
  nav?: MessageKey;
}

const page = (load: () => Promise<{ default: ComponentType }>) => lazy(load);

export const PAGES: PageRoute[] = [
  {
    path: "/contacts",
    needs: ["GET", "/contacts/contacts"],
    screen: page(() => import("../features/contacts/ContactListPage")),
    nav: "shell.nav.contacts",
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
  },
  {
    path: "/imports",
    needs: ["POST", "/contacts/contact-imports"],
    screen: page(() => import("../features/imports/ImportPage")),
    nav: "shell.nav.imports",
  },
  {
    path: "/duplicates",
    needs: ["GET", "/contacts/duplicates"],
    screen: page(() => import("../features/duplicates/DuplicatesPage")),
    nav: "shell.nav.duplicates",
  },
];
