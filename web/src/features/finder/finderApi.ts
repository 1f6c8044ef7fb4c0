// Server state of the finder: result pages (keyset pages behind numbered ones), the total,
// the groups and membership types conditions choose from, and saved searches.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useAuth } from "../../auth/AuthProvider";
import type { ApiFilter, Column, SortKey } from "./filterTree";

export type SavedSearch = components["schemas"]["contacts.SavedSearch"];
export type ResultRow = Record<string, unknown>;

const QUERY_PATH = "/api/v1/contacts/contacts/query";
// Rows skipped per request when a page is opened without its cursor known (the API's maximum).
const SKIP_CHUNK = 500;

export interface RunQuery {
  filter: ApiFilter | undefined;
  sort: SortKey[];
  columns: Column[];
}

/**
 * The cursor that starts each numbered page, per filter, sort and page size. The API pages by
 * keyset (`next_cursor`), so page 7 needs the cursor after page 6; a page opened from a link
 * skips there in chunks of ids only.
 */
const pageCursors = new Map<string, (string | null)[]>();

export function forgetCursors() {
  pageCursors.clear();
}

async function fetchChunk(
  query: RunQuery,
  cursor: string | null,
  limit: number,
  columns: Column[],
  signal: AbortSignal,
) {
  return unwrap(
    api.POST(QUERY_PATH, {
      body: {
        ...(query.filter ? { filter: query.filter } : {}),
        sort: query.sort,
        columns,
        cursor,
        limit,
        with_total: false,
      },
      signal,
    }),
  );
}

async function fetchPage(query: RunQuery, page: number, pageSize: number, signal: AbortSignal) {
  const key = JSON.stringify([query.filter ?? null, query.sort, pageSize]);
  const cursors = pageCursors.get(key) ?? [null];
  pageCursors.set(key, cursors);
  // The nearest page at or before the one asked for whose cursor is known.
  let at = Math.min(page, cursors.length);
  while (cursors[at - 1] === undefined) at -= 1;
  const pagesPerChunk = Math.max(1, Math.floor(SKIP_CHUNK / pageSize));
  while (at < page) {
    const pages = Math.min(pagesPerChunk, page - at);
    const skipped = await fetchChunk(query, cursors[at - 1] ?? null, pages * pageSize, ["id"], signal);
    if (!skipped.next_cursor) return { items: [], next_cursor: null, total: null };
    at += pages;
    cursors[at - 1] = skipped.next_cursor;
  }
  const result = await fetchChunk(query, cursors[page - 1] ?? null, pageSize, ensureId(query.columns), signal);
  if (result.next_cursor) cursors[page] = result.next_cursor;
  return result;
}

/** The id is always read (rows link to the contact), shown or not. */
function ensureId(columns: Column[]): Column[] {
  return columns.includes("id") ? columns : ["id", ...columns];
}

export function useResultPage(query: RunQuery, page: number, pageSize: number, enabled: boolean) {
  return useQuery({
    queryKey: ["finder", "page", query, page, pageSize],
    queryFn: ({ signal }) => fetchPage(query, page, pageSize, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Every match counted once per filter (the count is what a query costs at scale, not the page). */
export function useResultTotal(filter: ApiFilter | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["finder", "total", filter ?? null],
    queryFn: async ({ signal }) => {
      const result = await unwrap(
        api.POST(QUERY_PATH, {
          body: {
            ...(filter ? { filter } : {}),
            sort: [{ field: "name", direction: "asc" }],
            columns: ["id"],
            limit: 1,
            with_total: true,
          },
          signal,
        }),
      );
      return result.total ?? 0;
    },
    enabled,
  });
}

export function useGroups() {
  return useQuery({
    queryKey: ["finder", "groups"],
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/contacts/groups", { params: { query: { limit: 500 } }, signal })),
    staleTime: 60_000,
  });
}

export function useMembershipTypes() {
  const { can } = useAuth();
  const allowed = can("GET", "/memberships/membership-types");
  const query = useQuery({
    queryKey: ["finder", "membership-types"],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/membership-types", {
          params: { query: { limit: 500, include_archived: true } },
          signal,
        }),
      ),
    enabled: allowed,
    staleTime: 60_000,
  });
  return { ...query, allowed };
}

export const SAVED_KEY = ["finder", "saved"] as const;

export function useSavedSearches() {
  return useQuery({
    queryKey: SAVED_KEY,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/saved-searches", {
          params: { query: { limit: 200 } },
          signal,
        }),
      ),
  });
}

/** May the caller change this saved search (its owner or an admin, as the API checks)? */
export function useMayChange() {
  const { me, can } = useAuth();
  const admin = me?.roles.includes("admin") ?? false;
  const allowed = can("PATCH", "/contacts/saved-searches/{search_id}");
  return (saved: SavedSearch) => allowed && (admin || saved.owner === me?.user_id);
}
