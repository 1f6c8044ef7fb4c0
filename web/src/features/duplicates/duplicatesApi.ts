// The contacts service's duplicate scan, its dismissals and the merge.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type ApiPair = components["schemas"]["contacts.DuplicatePair"];
export type Reason = ApiPair["reasons"][number];
export type Summary = components["schemas"]["contacts.ContactSummary"];
/** A pair as the screen holds it: the smaller id first, as the API gives them. */
export interface DuplicatePair {
  contacts: readonly [Summary, Summary];
  score: number;
  reasons: Reason[];
}
export type Contact = components["schemas"]["contacts.Contact"];
export const MERGE_FIELDS = [
  "first_name",
  "last_name",
  "phone",
  "address",
  "iban",
  "birth_date",
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export const duplicateKeys = {
  all: ["duplicates"] as const,
  page: (minScore: number, limit: number, offset: number) =>
    ["duplicates", minScore, limit, offset] as const,
};

export function useDuplicates(minScore: number, limit: number, offset: number) {
  return useQuery({
    queryKey: duplicateKeys.page(minScore, limit, offset),
    queryFn: async ({ signal }) => {
      const page = await unwrap(
        api.GET("/api/v1/contacts/duplicates", {
          params: { query: { min_score: minScore, limit, offset } },
          signal,
        }),
      );
      const items: DuplicatePair[] = page.items.flatMap(({ contacts, score, reasons }) => {
        const [a, b] = contacts;
        return a && b ? [{ contacts: [a, b] as const, score, reasons }] : [];
      });
      return { items, total: page.total };
    },
    placeholderData: keepPreviousData,
  });
}

export function useContact(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ["contacts", "contact", id],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/contacts/{contact_id}", {
          params: { path: { contact_id: id } },
          signal,
        }),
      ),
    enabled,
  });
}

export function dismissPair(pair: DuplicatePair) {
  const [a, b] = pair.contacts;
  return unwrap(
    api.POST("/api/v1/contacts/duplicates/dismissals", {
      body: { contact_ids: [a.id, b.id] },
    }),
  );
}

export async function undoDismissal(pair: DuplicatePair) {
  const [a, b] = pair.contacts;
  await unwrap(
    api.DELETE("/api/v1/contacts/duplicates/dismissals/{contact_id}/{other_contact_id}", {
      params: { path: { contact_id: a.id, other_contact_id: b.id } },
    }),
  );
}

export function mergeContacts(survivorId: string, duplicateId: string, take: MergeField[]) {
  return unwrap(
    api.POST("/api/v1/contacts/contacts/{contact_id}/merge", {
      params: { path: { contact_id: survivorId } },
      body: { duplicate_id: duplicateId, take_from_duplicate: take },
    }),
  );
}

/** A field's value as a person reads it ("" when the contact has none). */
export function fieldText(
  contact: Contact,
  field: MergeField,
  date: (value: string) => string,
): string {
  if (field === "address") {
    const { street, number, postcode, city, country } = contact.address;
    const line1 = [street, number].filter(Boolean).join(" ");
    const line2 = [postcode, city].filter(Boolean).join(" ");
    return [line1, line2, country].filter(Boolean).join(", ");
  }
  if (field === "birth_date") return contact.birth_date ? date(contact.birth_date) : "";
  if (field === "phone") return contact.phone_display ?? "";
  return contact[field] ?? "";
}

const digits = (phone: string | null) => (phone ?? "").replace(/\D/g, "").slice(-9);

/** Which of the summaries' fields the two contacts share (as the scan compares them). */
export function sharedFields(a: Summary, b: Summary): Set<string> {
  const shared = new Set<string>();
  const fold = (text: string) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().trim();
  if (fold(a.first_name) === fold(b.first_name)) shared.add("first_name");
  if (fold(a.last_name) === fold(b.last_name)) shared.add("last_name");
  const emails = new Set(a.emails.map((email) => email.toLowerCase()));
  if (b.emails.some((email) => emails.has(email.toLowerCase()))) shared.add("emails");
  if (digits(a.phone) && digits(a.phone) === digits(b.phone)) shared.add("phone");
  if (a.postcode && fold(a.postcode) === fold(b.postcode ?? "")) shared.add("postcode");
  if (a.city && fold(a.city) === fold(b.city ?? "")) shared.add("city");
  return shared;
}
