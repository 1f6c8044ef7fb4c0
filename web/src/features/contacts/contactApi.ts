// One contact as the contacts service holds it, with the ETag to send back on a change, and
// what to refresh after one.
import { useQuery, type QueryClient } from "@tanstack/react-query";

import { api, etagOf, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import type { components } from "../../api/schema";

export type Contact = components["schemas"]["contacts.Contact"];
export type ContactCreate = components["schemas"]["contacts.ContactCreate"];
export type ContactPatch = components["schemas"]["contacts.ContactPatch"];

export interface VersionedContact {
  contact: Contact;
  etag: string | undefined;
}

export const contactKey = (contactId: string) => ["contacts", "one", contactId] as const;

export async function fetchContact(
  contactId: string,
  signal?: AbortSignal,
): Promise<VersionedContact> {
  const answer = await api.GET("/api/v1/contacts/contacts/{contact_id}", {
    params: { path: { contact_id: contactId } },
    signal,
  });
  const contact = await unwrap(Promise.resolve(answer));
  return { contact, etag: etagOf(answer.response) };
}

export function useContact(contactId: string) {
  return useQuery<VersionedContact, ApiError>({
    queryKey: contactKey(contactId),
    queryFn: ({ signal }) => fetchContact(contactId, signal),
  });
}

/** After a change to a contact: every list, search and view that may show it. */
export async function refreshContact(queryClient: QueryClient, contactId?: string) {
  await queryClient.invalidateQueries({
    predicate: (query) =>
      query.queryKey[0] === "contacts" ||
      (contactId !== undefined && query.queryKey.includes(contactId)),
  });
}

/** The ETag of a version the API named (a 412's `current_version`). */
export function etagOfVersion(version: unknown): string | undefined {
  return typeof version === "number" ? `"${version}"` : undefined;
}

/** What the contact list says on arrival (navigation state), after a contact went away. */
export interface ListNotice {
  notice: "deleted" | "erased";
}
