// The contact list as a query of the advanced search API (POST /contacts/contacts/query): the
// list's text, membership filter, sort and columns become its filter tree, sort and columns,
// so the export gives exactly the contacts shown.
import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type ApiColumn = Schemas["contacts.ContactQueryPage"]["columns"][number];
export type SortField = Schemas["contacts.SortKey"]["field"];
type Filter = NonNullable<Schemas["contacts.ContactQueryPage"]["filter"]>;
type TextField = Schemas["contacts.TextCondition"]["field"];
export type ResultRow = Record<string, unknown> & { id: string };

/** The list's columns: what each shows from the API's columns, and its sort key if any. */
export const LIST_COLUMNS = {
  name: { api: ["first_name", "last_name"], sort: "name" },
  emails: { api: ["emails"] },
  phone: { api: ["phone"] },
  address: { api: ["street", "number"] },
  postcode: { api: ["postcode"], sort: "postcode" },
  city: { api: ["city"], sort: "city" },
  country: { api: ["country"] },
  iban: { api: ["iban"] },
  birth_date: { api: ["birth_date"], sort: "birth_date" },
  age: { api: ["age"] },
  membership: { api: ["membership_status", "membership_types"] },
  groups: { api: ["groups"] },
  created_at: { api: ["created_at"], sort: "created_at" },
  updated_at: { api: ["updated_at"], sort: "updated_at" },
} as const satisfies Record<string, { api: readonly ApiColumn[]; sort?: SortField }>;

export type ListColumn = keyof typeof LIST_COLUMNS;
export const ALL_COLUMNS = Object.keys(LIST_COLUMNS) as ListColumn[];
export const DEFAULT_COLUMNS: ListColumn[] = [
  "name",
  "emails",
  "phone",
  "postcode",
  "city",
  "membership",
];
export const SORTABLE = ALL_COLUMNS.filter((column) => "sort" in LIST_COLUMNS[column]);

export type MemberFilter = "" | "member" | "non_member";

export interface ListQuery {
  text: string;
  member: MemberFilter;
  sort: ListColumn;
  direction: "asc" | "desc";
  columns: ListColumn[];
}

// Where a typed word may occur, as the quick search looks: names, e-mails, phone, address,
// IBAN. The query API has no "any field" condition, so each word is an OR over these.
const WORD_FIELDS: TextField[] = [
  "first_name",
  "last_name",
  "email",
  "street",
  "number",
  "postcode",
  "city",
  "iban",
];

function wordCondition(word: string): Filter {
  const fields: TextField[] = /\d/.test(word) ? [...WORD_FIELDS, "phone"] : WORD_FIELDS;
  return {
    kind: "or",
    conditions: fields.map((field) => ({ kind: "text", field, op: "contains", value: word })),
  };
}

export function filterOf(query: Pick<ListQuery, "text" | "member">): Filter | null {
  const conditions: Filter[] = query.text
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 10)
    .map((word) => wordCondition(word.slice(0, 200)));
  if (query.member) conditions.push({ kind: "membership", status: query.member, type_ids: [] });
  if (conditions.length === 0) return null;
  return conditions.length === 1 ? (conditions[0] ?? null) : { kind: "and", conditions };
}

export function queryBody(query: ListQuery) {
  const column = LIST_COLUMNS[query.sort] as { sort?: SortField };
  const sortField: SortField = column.sort ?? "name";
  const columns = new Set<ApiColumn>(["id"]);
  for (const column of query.columns) for (const api of LIST_COLUMNS[column].api) columns.add(api);
  return {
    filter: filterOf(query),
    sort: [{ field: sortField, direction: query.direction }],
    columns: [...columns],
  };
}

async function runQuery(
  body: ReturnType<typeof queryBody>,
  page: { limit: number; cursor: string | null; withTotal?: boolean },
  signal: AbortSignal,
) {
  return unwrap(
    api.POST("/api/v1/contacts/contacts/query", {
      body: {
        ...body,
        limit: page.limit,
        cursor: page.cursor,
        with_total: page.withTotal ?? false,
      },
      signal,
    }),
  );
}

const MAX_LIMIT = 500;

/** The cursor that starts page `page` (keyset pages): the ids of the pages before, skipped
 * in steps of up to 500, so a link to page 7 costs one or two small requests. */
async function cursorOf(
  body: ReturnType<typeof queryBody>,
  page: number,
  pageSize: number,
  signal: AbortSignal,
): Promise<string | null | undefined> {
  let skip = (page - 1) * pageSize;
  let cursor: string | null = null;
  const ids = { ...body, columns: ["id" as const] };
  while (skip > 0) {
    const limit = Math.min(skip, MAX_LIMIT);
    const answer = await runQuery(ids, { limit, cursor }, signal);
    if (!answer.next_cursor) return undefined; // past the last page
    cursor = answer.next_cursor;
    skip -= limit;
  }
  return cursor;
}

// Cursors already seen, so paging forward and back costs one request per page.
const knownCursors = new Map<string, string | null>();

export function useContactList(query: ListQuery, page: number, pageSize: number) {
  const body = queryBody(query);
  const identity = JSON.stringify([body.filter, body.sort]);
  const rows = useQuery({
    queryKey: ["contacts", "list", body, page, pageSize],
    queryFn: async ({ signal }) => {
      const key = `${identity}|${pageSize}|${page}`;
      const cursor = knownCursors.has(key)
        ? knownCursors.get(key)
        : await cursorOf(body, page, pageSize, signal);
      if (cursor === undefined) return { items: [] as ResultRow[] };
      const answer = await runQuery(body, { limit: pageSize, cursor }, signal);
      knownCursors.set(key, cursor);
      if (answer.next_cursor) {
        knownCursors.set(`${identity}|${pageSize}|${page + 1}`, answer.next_cursor);
      }
      return { items: answer.items as ResultRow[] };
    },
    placeholderData: (previous) => previous,
  });
  const total = useQuery({
    queryKey: ["contacts", "list-total", body.filter],
    queryFn: async ({ signal }) =>
      (
        await runQuery(
          { ...body, columns: ["id"] },
          { limit: 1, cursor: null, withTotal: true },
          signal,
        )
      ).total ?? 0,
    placeholderData: (previous) => previous,
    staleTime: 30_000,
  });
  return { rows, total };
}
