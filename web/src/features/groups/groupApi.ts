// The groups' server state: queries and changes, with the query keys they share, so the group
// pages and the contact profile's groups tab stay in step.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, etagOf, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

export type Group = components["schemas"]["contacts.Group"];
export type GroupMember = components["schemas"]["contacts.ContactSummary"];

export const groupKeys = {
  all: ["groups"] as const,
  lists: ["groups", "list"] as const,
  list: (offset: number, limit: number) => ["groups", "list", offset, limit] as const,
  choices: ["groups", "choices"] as const,
  one: (id: string) => ["groups", "one", id] as const,
  members: (id: string, offset: number, limit: number) =>
    ["groups", "one", id, "members", offset, limit] as const,
};

export function useGroupList(offset: number, limit: number) {
  return useQuery({
    queryKey: groupKeys.list(offset, limit),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/contacts/groups", { params: { query: { offset, limit } }, signal })),
    placeholderData: (previous) => previous,
  });
}

/** Every group (a club has tens, not thousands): the choices of a "add to group" select. */
export function useGroupChoices(enabled = true) {
  return useQuery({
    queryKey: groupKeys.choices,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/groups", { params: { query: { offset: 0, limit: 500 } }, signal }),
      ),
    enabled,
  });
}

/** One group with its ETag, which a rename or delete sends back as If-Match. */
export function useGroup(groupId: string) {
  return useQuery({
    queryKey: groupKeys.one(groupId),
    queryFn: async ({ signal }) => {
      const answer = await api.GET("/api/v1/contacts/groups/{group_id}", {
        params: { path: { group_id: groupId } },
        signal,
      });
      const group = await unwrap(Promise.resolve(answer));
      return { group, etag: etagOf(answer.response) ?? `"${group.version}"` };
    },
  });
}

export function useGroupMembers(groupId: string, offset: number, limit: number) {
  return useQuery({
    queryKey: groupKeys.members(groupId, offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/groups/{group_id}/members", {
          params: { path: { group_id: groupId }, query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: (previous) => previous,
  });
}

export function useCreateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(api.POST("/api/v1/contacts/groups", { body: { name } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: groupKeys.all }),
  });
}

export function useRenameGroup(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, etag }: { name: string; etag: string }) =>
      unwrap(
        api.PATCH("/api/v1/contacts/groups/{group_id}", {
          params: { path: { group_id: groupId } },
          body: { name },
          headers: { "If-Match": etag },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: groupKeys.all }),
  });
}

export function useDeleteGroup(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (etag: string) =>
      unwrap(
        api.DELETE("/api/v1/contacts/groups/{group_id}", {
          params: { path: { group_id: groupId } },
          headers: { "If-Match": etag },
        }),
      ),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: groupKeys.one(groupId) });
      void queryClient.invalidateQueries({ queryKey: groupKeys.lists });
      void queryClient.invalidateQueries({ queryKey: groupKeys.choices });
    },
    onError: () => queryClient.invalidateQueries({ queryKey: groupKeys.one(groupId) }),
  });
}

/** Adds or removes a member; the group's pages and the contact's profile both follow. */
export function useMembershipChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      groupId,
      contactId,
      change,
    }: {
      groupId: string;
      contactId: string;
      change: "add" | "remove";
    }) => {
      const params = { path: { group_id: groupId, contact_id: contactId } };
      return unwrap(
        change === "add"
          ? api.PUT("/api/v1/contacts/groups/{group_id}/members/{contact_id}", { params })
          : api.DELETE("/api/v1/contacts/groups/{group_id}/members/{contact_id}", { params }),
      );
    },
    onSuccess: (_answer, { groupId, contactId }) => {
      void queryClient.invalidateQueries({ queryKey: groupKeys.one(groupId) });
      void queryClient.invalidateQueries({ queryKey: ["contacts", contactId] });
    },
  });
}
