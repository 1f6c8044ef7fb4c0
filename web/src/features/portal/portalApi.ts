// The member's own data, always through the member's own contact id (from the login, never
// from the URL): the gateway lets a member call only these routes, for that id.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, etagOf, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import type { components } from "../../api/schema";
import { useAuth } from "../../auth/AuthProvider";

type Schemas = components["schemas"];
export type Contact = Schemas["contacts.Contact"];
export type ContactPatch = Schemas["contacts.ContactPatch"];
export type Membership = Schemas["memberships.MembershipView"];
export type InvoiceSummary = Schemas["billing.InvoiceSummary"];
export type Subscription = Schemas["newsletters.ContactSubscription"];
export type FamilyRole = Schemas["contacts.FamilyMembership"]["role"];

// A person's own history: a few memberships and lists, never pages of them.
const ALL_OF_MINE = 200;

export const portalKeys = {
  all: ["portal"] as const,
  contact: (id: string) => ["portal", id, "contact"] as const,
  family: (id: string) => ["portal", id, "family"] as const,
  memberships: (id: string) => ["portal", id, "memberships"] as const,
  invoices: (id: string, offset: number, limit: number) =>
    ["portal", id, "invoices", offset, limit] as const,
  subscriptions: (id: string) => ["portal", id, "subscriptions"] as const,
};

/** The signed-in member's contact id (the portal is only shown to a login that has one). */
export function useMyContactId(): string {
  return useAuth().me?.contact_id ?? "";
}

export interface VersionedContact {
  contact: Contact;
  etag: string | undefined;
}

export async function fetchMyContact(id: string, signal?: AbortSignal): Promise<VersionedContact> {
  const answer = await api.GET("/api/v1/contacts/contacts/{contact_id}", {
    params: { path: { contact_id: id } },
    signal,
  });
  const contact = await unwrap(Promise.resolve(answer));
  return { contact, etag: etagOf(answer.response) };
}

export function useMyContact(id: string) {
  return useQuery<VersionedContact, ApiError>({
    queryKey: portalKeys.contact(id),
    queryFn: ({ signal }) => fetchMyContact(id, signal),
  });
}

export function useSaveMyContact(id: string) {
  const queryClient = useQueryClient();
  return useMutation<Contact, ApiError, { patch: ContactPatch; etag: string | undefined }>({
    mutationFn: ({ patch, etag }) =>
      unwrap(
        api.PATCH("/api/v1/contacts/contacts/{contact_id}", {
          params: { path: { contact_id: id } },
          body: patch,
          headers: etag ? { "If-Match": etag } : {},
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: portalKeys.contact(id) }),
  });
}

export interface MyFamily {
  role: FamilyRole;
  linkedAt: string;
  /** The family's name, when it could be read (from what is held on the member). */
  name: string | null;
}

/** The member's family link, or null when in none (404). The family itself (its members) is
 * not open to a member; its name comes from the member's own personal-data record. */
export function useMyFamily(id: string) {
  return useQuery<MyFamily | null, ApiError>({
    queryKey: portalKeys.family(id),
    queryFn: async ({ signal }) => {
      let link;
      try {
        link = await unwrap(
          api.GET("/api/v1/contacts/contacts/{contact_id}/family", {
            params: { path: { contact_id: id } },
            signal,
          }),
        );
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
      const held = await unwrap(
        api.GET("/api/v1/contacts/contacts/{contact_id}/personal-data", {
          params: { path: { contact_id: id } },
          signal,
        }),
      ).catch(() => null);
      const name = held?.family?.family_id === link.family_id ? held.family.name : null;
      return { role: link.role, linkedAt: link.linked_at, name };
    },
  });
}

export function useMyMemberships(id: string) {
  return useQuery<{ items: Membership[]; total: number }, ApiError>({
    queryKey: portalKeys.memberships(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/contacts/{contact_id}/memberships", {
          params: { path: { contact_id: id }, query: { limit: ALL_OF_MINE } },
          signal,
        }),
      ),
  });
}

export function useMyInvoices(id: string, offset: number, limit: number) {
  return useQuery<{ items: InvoiceSummary[]; total: number }, ApiError>({
    queryKey: portalKeys.invoices(id, offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/billing/contacts/{contact_id}/invoices", {
          params: { path: { contact_id: id }, query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

export function useMySubscriptions(id: string) {
  return useQuery<{ items: Subscription[]; total: number }, ApiError>({
    queryKey: portalKeys.subscriptions(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/newsletters/contacts/{contact_id}/subscriptions", {
          params: { path: { contact_id: id }, query: { limit: ALL_OF_MINE } },
          signal,
        }),
      ),
  });
}

/** Opting out of one list, or back in (lifting one's own opt-out). */
export function useChangeSubscription(id: string) {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, { listId: string; optOut: boolean }>({
    mutationFn: ({ listId, optOut }) =>
      optOut
        ? unwrap(
            api.POST("/api/v1/newsletters/contacts/{contact_id}/opt-outs", {
              params: { path: { contact_id: id } },
              body: { list_id: listId },
            }),
          )
        : unwrap(
            api.DELETE("/api/v1/newsletters/contacts/{contact_id}/opt-outs/{list_id}", {
              params: { path: { contact_id: id, list_id: listId } },
            }),
          ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: portalKeys.subscriptions(id) }),
  });
}
