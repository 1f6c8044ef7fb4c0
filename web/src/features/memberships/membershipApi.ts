// The memberships service's server state: types and their fees, a contact's memberships and
// access, members on a day, group rights and cards, with the query keys they share.
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";

import { api, etagOf, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type MembershipType = Schemas["memberships.MembershipTypeView"];
export type NewMembershipType = Schemas["memberships.NewMembershipType"];
export type MembershipTypeChange = Schemas["memberships.MembershipTypeChange"];
export type FeeVersion = Schemas["memberships.FeeVersionView"];
export type Membership = Schemas["memberships.MembershipView"];
export type EndReason = Schemas["memberships.MembershipEnd"]["reason"];
export type Member = Schemas["memberships.Member"];
export type MemberCounts = Schemas["memberships.MemberCounts"];
export type CardCheck = Schemas["memberships.CardCheck"];
export type BillingPeriod = MembershipType["billing_period"];
export type TermKind = MembershipType["term_kind"];

export const BILLING_PERIODS: readonly BillingPeriod[] = ["yearly", "monthly", "one_off"];
export const TERM_KINDS: readonly TermKind[] = ["seasonal", "rolling", "fixed_months", "fixed_end"];
export const END_REASONS: readonly NonNullable<EndReason>[] = [
  "resigned",
  "term_over",
  "deceased",
  "expelled",
  "other",
];
/** The page size the service allows at most. */
export const MAX_PAGE = 500;

export const membershipKeys = {
  all: ["memberships"] as const,
  types: ["memberships", "types"] as const,
  typeList: (archived: boolean, offset: number, limit: number) =>
    ["memberships", "types", "list", archived, offset, limit] as const,
  typeChoices: ["memberships", "types", "choices"] as const,
  type: (id: string) => ["memberships", "types", "one", id] as const,
  ofContact: (contactId: string) => ["memberships", "contact", contactId] as const,
  contactMemberships: (contactId: string, on: string) =>
    ["memberships", "contact", contactId, "memberships", on] as const,
  contactAccess: (contactId: string, on: string) =>
    ["memberships", "contact", contactId, "access", on] as const,
  members: ["memberships", "members"] as const,
  groupRights: (groupId: string) => ["memberships", "group", groupId, "rights"] as const,
  calendar: ["memberships", "calendar"] as const,
};

/** Today in the browser's calendar, as an ISO date (the service's own day comes from /calendar). */
export function isoToday(): string {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}

/** An ISO date moved by whole days. */
export function addDays(iso: string, days: number): string {
  const day = new Date(`${iso}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

export function ifMatch(version: number): string {
  return `"${version}"`;
}

// ---- Types and fees -------------------------------------------------------------------------

export function useTypeList(includeArchived: boolean, offset: number, limit: number) {
  return useQuery({
    queryKey: membershipKeys.typeList(includeArchived, offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/membership-types", {
          params: { query: { include_archived: includeArchived, offset, limit } },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

/** Every type (a club has a handful): the choices of a type select. */
export function useTypeChoices(includeArchived = false) {
  return useQuery({
    queryKey: [...membershipKeys.typeChoices, includeArchived],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/membership-types", {
          params: { query: { include_archived: includeArchived, offset: 0, limit: MAX_PAGE } },
          signal,
        }),
      ),
    select: (page) => page.items,
  });
}

/** One type with its ETag, which an edit or archive sends back as If-Match. */
export function useMembershipType(typeId: string) {
  return useQuery({
    queryKey: membershipKeys.type(typeId),
    queryFn: async ({ signal }) => {
      const answer = await api.GET("/api/v1/memberships/membership-types/{type_id}", {
        params: { path: { type_id: typeId } },
        signal,
      });
      const type = await unwrap(Promise.resolve(answer));
      return { type, etag: etagOf(answer.response) ?? ifMatch(type.version) };
    },
  });
}

export function useCreateType() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewMembershipType) =>
      unwrap(api.POST("/api/v1/memberships/membership-types", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membershipKeys.types }),
  });
}

export function useChangeType(typeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ change, etag }: { change: MembershipTypeChange; etag: string }) => {
      const answer = await api.PATCH("/api/v1/memberships/membership-types/{type_id}", {
        params: { path: { type_id: typeId }, header: { "If-Match": etag } },
        body: change,
      });
      return unwrap(Promise.resolve(answer));
    },
    // A refused (stale) change loads the current type, so the next try has its version.
    onSettled: () => queryClient.invalidateQueries({ queryKey: membershipKeys.types }),
  });
}

export function useAddFee(typeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fee: { amount: string; valid_from: string; currency: string }) =>
      unwrap(
        api.POST("/api/v1/memberships/membership-types/{type_id}/fees", {
          params: { path: { type_id: typeId } },
          body: fee,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: membershipKeys.types }),
  });
}

/** The fee in force on a day: the latest version from that day or before. */
export function feeOn(fees: readonly FeeVersion[], day: string): FeeVersion | undefined {
  return [...fees]
    .sort((a, b) => a.valid_from.localeCompare(b.valid_from))
    .filter((fee) => fee.valid_from <= day)
    .at(-1);
}

// ---- A contact's memberships and access ------------------------------------------------------

export function useContactMemberships(contactId: string, on: string) {
  return useQuery({
    queryKey: membershipKeys.contactMemberships(contactId, on),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/contacts/{contact_id}/memberships", {
          params: { path: { contact_id: contactId }, query: { on, limit: MAX_PAGE } },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

export function useContactAccess(contactId: string, on: string) {
  return useQuery({
    queryKey: membershipKeys.contactAccess(contactId, on),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/contacts/{contact_id}/access", {
          params: { path: { contact_id: contactId }, query: { on } },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

/** After a membership changes: its contact's lists, access and profile, and the member lists. */
function afterMembershipChange(queryClient: QueryClient, contactId: string) {
  void queryClient.invalidateQueries({ queryKey: membershipKeys.ofContact(contactId) });
  void queryClient.invalidateQueries({ queryKey: membershipKeys.members });
  void queryClient.invalidateQueries({ queryKey: ["contacts", contactId] });
}

export function useStartMembership(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { type_id: string; start_date: string; end_date?: string | null }) =>
      unwrap(
        api.POST("/api/v1/memberships/memberships", { body: { ...body, contact_id: contactId } }),
      ),
    onSuccess: () => afterMembershipChange(queryClient, contactId),
  });
}

export function useEndMembership(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      membership: Membership;
      end_date: string;
      reason: NonNullable<EndReason>;
    }) =>
      unwrap(
        api.POST("/api/v1/memberships/memberships/{membership_id}/end", {
          params: {
            path: { membership_id: input.membership.id },
            header: { "If-Match": ifMatch(input.membership.version) },
          },
          body: { end_date: input.end_date, reason: input.reason },
        }),
      ),
    onSettled: () => afterMembershipChange(queryClient, contactId),
  });
}

export function useChangeMembershipType(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { membership: Membership; type_id: string; on: string }) =>
      unwrap(
        api.POST("/api/v1/memberships/memberships/{membership_id}/change-type", {
          params: { path: { membership_id: input.membership.id } },
          body: { type_id: input.type_id, on: input.on },
        }),
      ),
    onSuccess: () => afterMembershipChange(queryClient, contactId),
  });
}

export function useDeleteMembership(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (membership: Membership) =>
      unwrap(
        api.DELETE("/api/v1/memberships/memberships/{membership_id}", {
          params: {
            path: { membership_id: membership.id },
            header: { "If-Match": ifMatch(membership.version) },
          },
        }),
      ),
    onSettled: () => afterMembershipChange(queryClient, contactId),
  });
}

// ---- Members on a day ------------------------------------------------------------------------

export function useMemberCounts(on: string) {
  return useQuery({
    queryKey: [...membershipKeys.members, "counts", on],
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/memberships/members/counts", { params: { query: { on } }, signal })),
    placeholderData: (previous) => previous,
  });
}

export function useMembersOn(on: string, typeId: string, offset: number, limit: number) {
  return useQuery({
    queryKey: [...membershipKeys.members, "list", on, typeId, offset, limit],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/members", {
          params: { query: { on, type_id: typeId || undefined, offset, limit } },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

/** Every membership active on a day (of one type, when given), page after page. */
export async function allMembersOn(
  on: string,
  typeId: string | undefined,
  signal?: AbortSignal,
): Promise<Member[]> {
  const members: Member[] = [];
  for (let offset = 0; ; offset += MAX_PAGE) {
    const page = await unwrap(
      api.GET("/api/v1/memberships/members", {
        params: { query: { on, type_id: typeId, offset, limit: MAX_PAGE } },
        signal,
      }),
    );
    members.push(...page.items);
    if (members.length >= page.total || page.items.length === 0) return members;
  }
}

export function useCalendar() {
  return useQuery({
    queryKey: membershipKeys.calendar,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/memberships/calendar", { signal })),
    staleTime: 60_000,
  });
}

// ---- Group rights ----------------------------------------------------------------------------

export function useGroupRights(groupId: string) {
  return useQuery({
    queryKey: membershipKeys.groupRights(groupId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/groups/{group_id}/rights", {
          params: { path: { group_id: groupId } },
          signal,
        }),
      ),
  });
}

export function useGrantRight(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (right: string) =>
      unwrap(
        api.PUT("/api/v1/memberships/groups/{group_id}/rights/{right}", {
          params: { path: { group_id: groupId, right } },
        }),
      ),
    onSettled: () => afterGrantChange(queryClient, groupId),
  });
}

export function useRevokeRight(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (right: string) =>
      unwrap(
        api.DELETE("/api/v1/memberships/groups/{group_id}/rights/{right}", {
          params: { path: { group_id: groupId, right } },
        }),
      ),
    onSettled: () => afterGrantChange(queryClient, groupId),
  });
}

function afterGrantChange(queryClient: QueryClient, groupId: string) {
  void queryClient.invalidateQueries({ queryKey: membershipKeys.groupRights(groupId) });
  // The groups feature shows the same grants read-only.
  void queryClient.invalidateQueries({ queryKey: ["groups", "one", groupId, "rights"] });
  void queryClient.invalidateQueries({ queryKey: [...membershipKeys.all, "contact"] });
}

/** A right code as the service accepts it: lower-case dotted words. */
export const RIGHT_PATTERN = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;
