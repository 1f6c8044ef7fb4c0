// A contact's invitations to the members' portal (the gateway's own routes) and the query keys
// they share: inviting again or revoking refreshes the contact's list.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import type { components } from "../../api/schema";

export type Invitation = components["schemas"]["InvitationOut"];
export type BulkResult = components["schemas"]["InvitationBulkResult"];
export type SkipReason = NonNullable<components["schemas"]["InvitationResult"]["reason"]>;

// Enough to show the history on a profile: a contact is invited a handful of times at most.
const HISTORY_SIZE = 20;

export const invitationKeys = {
  all: ["invitations"] as const,
  ofContact: (contactId: string) => ["invitations", "contact", contactId] as const,
};

export function useContactInvitations(contactId: string) {
  return useQuery<{ items: Invitation[]; total: number }, ApiError>({
    queryKey: invitationKeys.ofContact(contactId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/invitations", {
          params: { query: { contact_id: contactId, limit: HISTORY_SIZE } },
          signal,
        }),
      ),
  });
}

export function useInvite(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation<Invitation, ApiError, string | null>({
    mutationFn: (email) =>
      unwrap(
        api.POST("/api/v1/invitations", {
          body: { contact_id: contactId, email: email?.trim() ? email.trim() : null },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitationKeys.ofContact(contactId) }),
  });
}

export function useRevokeInvitation(contactId: string) {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, string>({
    mutationFn: (invitationId) =>
      unwrap(
        api.DELETE("/api/v1/invitations/{invitation_id}", {
          params: { path: { invitation_id: invitationId } },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitationKeys.ofContact(contactId) }),
  });
}

export function useBulkInvite() {
  const queryClient = useQueryClient();
  return useMutation<BulkResult, ApiError, string[]>({
    mutationFn: (contactIds) =>
      unwrap(api.POST("/api/v1/invitations/bulk", { body: { contact_ids: contactIds } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: invitationKeys.all }),
  });
}
