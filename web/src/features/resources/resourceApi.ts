// The resources the club hands out (lockers, keys, kits, pitches) as server state: the list by
// kind, one resource, its allocations, and the names of who holds them.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { today } from "../../ui/today";

export type Resource = components["schemas"]["contacts.Resource"];
export type Allocation = components["schemas"]["contacts.Allocation"];
export type ResourceKind = components["schemas"]["contacts.ResourceCreate"]["kind"];
export const RESOURCE_KINDS: readonly ResourceKind[] = ["locker", "key", "kit", "pitch", "other"];

export const resourceKeys = {
  all: ["resources"] as const,
  list: (kind: string, offset: number, limit: number) =>
    ["resources", "list", kind, offset, limit] as const,
  detail: (id: string) => ["resources", "detail", id] as const,
  allocations: (id: string, offset: number, limit: number) =>
    ["resources", "allocations", id, offset, limit] as const,
  qr: (id: string) => ["resources", "qr", id] as const,
  contact: (id: string) => ["resources", "contact", id] as const,
  group: (id: string) => ["resources", "group", id] as const,
};

export function isKind(value: string): value is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(value);
}

export function useResources(kind: string, offset: number, limit: number) {
  return useQuery({
    queryKey: resourceKeys.list(kind, offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/resources", {
          params: { query: { offset, limit, ...(isKind(kind) ? { kind } : {}) } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useResource(id: string) {
  return useQuery({
    queryKey: resourceKeys.detail(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/resources/{resource_id}", {
          params: { path: { resource_id: id } },
          signal,
        }),
      ),
  });
}

export function useAllocations(id: string, offset: number, limit: number) {
  return useQuery({
    queryKey: resourceKeys.allocations(id, offset, limit),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/resources/{resource_id}/allocations", {
          params: { path: { resource_id: id }, query: { offset, limit } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** A holder's name; allocations carry only the contact's or group's id. */
export function useContactName(id: string | null) {
  return useQuery({
    queryKey: resourceKeys.contact(id ?? ""),
    queryFn: async ({ signal }) => {
      const contact = await unwrap(
        api.GET("/api/v1/contacts/contacts/{contact_id}", {
          params: { path: { contact_id: id ?? "" } },
          signal,
        }),
      );
      return `${contact.first_name} ${contact.last_name}`.trim();
    },
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

export function useGroupName(id: string | null) {
  return useQuery({
    queryKey: resourceKeys.group(id ?? ""),
    queryFn: async ({ signal }) => {
      const group = await unwrap(
        api.GET("/api/v1/contacts/groups/{group_id}", {
          params: { path: { group_id: id ?? "" } },
          signal,
        }),
      );
      return group.name;
    },
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

export type AllocationState = "current" | "planned" | "ended";

export function allocationState(allocation: Allocation, day = today()): AllocationState {
  if (allocation.start_date > day) return "planned";
  if (allocation.end_date && allocation.end_date < day) return "ended";
  return "current";
}
