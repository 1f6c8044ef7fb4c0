// The aggregated profile (one gateway call gathering contacts, memberships, newsletters and
// billing) and the contact's other parts the profile's tabs read directly.
import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../../api/client";
import { ApiError } from "../../../api/problem";
import type { components } from "../../../api/schema";

type Schemas = components["schemas"];
export type Contact = Schemas["contacts.Contact"];
export type GroupPage = Schemas["contacts.Page_Group_"];
export type MembershipPage = Schemas["memberships.Page_MembershipView_"];
export type EffectiveAccess = Schemas["memberships.EffectiveAccess"];
export type SubscriptionPage = Schemas["newsletters.Page_ContactSubscription_"];
export type OpenItems = Schemas["billing.OpenItems"];
export type Company = Schemas["contacts.Company"];

export interface Section<Data> {
  status: "ok" | "unavailable" | "not_permitted";
  detail?: string | null;
  data?: Data | null;
}

export interface Profile {
  contact_id: string;
  contact: Section<Contact>;
  groups: Section<GroupPage>;
  memberships: Section<MembershipPage>;
  access: Section<EffectiveAccess>;
  subscriptions: Section<SubscriptionPage>;
  open_invoices: Section<OpenItems>;
}

// Subscriptions follow group changes through events (contacts → Kafka → newsletters): asking
// again every few seconds while the page is visible shows them arrive without a reload.
const PROFILE_POLL_MS = 3_000;

export const profileKey = (contactId: string) => ["contacts", contactId, "profile"] as const;

export function useProfile(contactId: string) {
  return useQuery({
    queryKey: profileKey(contactId),
    queryFn: async ({ signal }) =>
      (await unwrap(
        api.GET("/api/v1/contacts/{contact_id}/profile", {
          params: { path: { contact_id: contactId } },
          signal,
        }),
      )) as unknown as Profile,
    refetchInterval: PROFILE_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

/** The contact's family link, or null when it is in none (the API answers 404). */
export function useContactFamily(contactId: string) {
  return useQuery({
    queryKey: ["contacts", contactId, "family"],
    queryFn: async ({ signal }) => {
      try {
        const link = await unwrap(
          api.GET("/api/v1/contacts/contacts/{contact_id}/family", {
            params: { path: { contact_id: contactId } },
            signal,
          }),
        );
        const family = await unwrap(
          api.GET("/api/v1/contacts/families/{family_id}", {
            params: { path: { family_id: link.family_id } },
            signal,
          }),
        );
        return { link, family };
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

const COMPANY_PAGE = 500;
const COMPANY_PAGES_MAX = 20;

/**
 * The companies the contact is linked to. The API has no route from a contact to its
 * companies, so this reads the companies (each lists its contacts) and keeps the contact's.
 */
export function useContactCompanies(contactId: string) {
  return useQuery({
    queryKey: ["contacts", contactId, "companies"],
    queryFn: async ({ signal }) => {
      const found: { company: Company; role: string }[] = [];
      for (let page = 0; page < COMPANY_PAGES_MAX; page += 1) {
        const answer = await unwrap(
          api.GET("/api/v1/contacts/companies", {
            params: { query: { offset: page * COMPANY_PAGE, limit: COMPANY_PAGE } },
            signal,
          }),
        );
        for (const company of answer.items) {
          const link = company.contacts.find((linked) => linked.contact_id === contactId);
          if (link) found.push({ company, role: link.role });
        }
        if ((page + 1) * COMPANY_PAGE >= answer.total) break;
      }
      return found;
    },
  });
}

export function useContactResources(contactId: string) {
  return useQuery({
    queryKey: ["contacts", contactId, "resources"],
    queryFn: async ({ signal }) => {
      const allocations = await unwrap(
        api.GET("/api/v1/contacts/contacts/{contact_id}/resources", {
          params: { path: { contact_id: contactId } },
          signal,
        }),
      );
      const ids = [...new Set(allocations.map((allocation) => allocation.resource_id))];
      const resources = await Promise.all(
        ids.map((id) =>
          unwrap(
            api.GET("/api/v1/contacts/resources/{resource_id}", {
              params: { path: { resource_id: id } },
              signal,
            }),
          ).catch(() => null),
        ),
      );
      const byId = new Map(resources.flatMap((resource) => (resource ? [[resource.id, resource]] : [])));
      return allocations.map((allocation) => ({
        allocation,
        resource: byId.get(allocation.resource_id) ?? null,
      }));
    },
  });
}

export function useContactHistory(contactId: string, offset: number, limit: number) {
  return useQuery({
    queryKey: ["contacts", contactId, "history", offset, limit],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/contacts/{contact_id}/history", {
          params: { path: { contact_id: contactId }, query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
  });
}
