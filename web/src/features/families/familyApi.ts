// The families of the contact file as server state: the list, one family with its ETag, and
// the query keys a change invalidates.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { withEtag } from "../../ui/tagged";

export type Family = components["schemas"]["contacts.Family"];
export type FamilyMember = components["schemas"]["contacts.FamilyMemberView"];
export type FamilyRole = FamilyMember["role"];
export const FAMILY_ROLES: readonly FamilyRole[] = ["parent", "partner", "child", "other"];

export const familyKeys = {
  all: ["families"] as const,
  list: (offset: number, limit: number) => ["families", "list", offset, limit] as const,
  detail: (id: string) => ["families", "detail", id] as const,
};

export function useFamilies(offset: number, limit: number) {
  return useQuery({
    queryKey: familyKeys.list(offset, limit),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/contacts/families", { params: { query: { offset, limit } }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useFamily(id: string) {
  return useQuery({
    queryKey: familyKeys.detail(id),
    queryFn: ({ signal }) =>
      withEtag(
        api.GET("/api/v1/contacts/families/{family_id}", {
          params: { path: { family_id: id } },
          signal,
        }),
      ),
  });
}
