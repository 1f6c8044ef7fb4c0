// The companies of the contact file as server state: the list, one company with its ETag, and
// the query keys a change invalidates.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { withEtag } from "../../ui/tagged";

export type Company = components["schemas"]["contacts.Company"];
export type Contract = components["schemas"]["contacts.Contract"];
export type LinkedContact = components["schemas"]["contacts.CompanyContactView"];
export type ContractKind = NonNullable<components["schemas"]["contacts.ContractCreate"]["kind"]>;
export type ContractStatus = NonNullable<components["schemas"]["contacts.ContractCreate"]["status"]>;
export const CONTRACT_KINDS: readonly ContractKind[] = ["sponsorship", "supplier", "partnership", "other"];
export const CONTRACT_STATUSES: readonly ContractStatus[] = ["draft", "active", "ended", "cancelled"];

export const companyKeys = {
  all: ["companies"] as const,
  list: (offset: number, limit: number) => ["companies", "list", offset, limit] as const,
  detail: (id: string) => ["companies", "detail", id] as const,
  logo: (id: string, sha256: string) => ["companies", "logo", id, sha256] as const,
};

export function useCompanies(offset: number, limit: number) {
  return useQuery({
    queryKey: companyKeys.list(offset, limit),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/contacts/companies", { params: { query: { offset, limit } }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useCompany(id: string) {
  return useQuery({
    queryKey: companyKeys.detail(id),
    queryFn: ({ signal }) =>
      withEtag(
        api.GET("/api/v1/contacts/companies/{company_id}", {
          params: { path: { company_id: id } },
          signal,
        }),
      ),
  });
}

/** "1.250,50" or "1250.5" as the API's exact decimal string "1250.50"-ish ("1250.5"). */
export function decimalInput(text: string): string {
  const compact = text.replace(/[\s\u00a0€]/g, "");
  return compact.includes(",") ? compact.replace(/\./g, "").replace(",", ".") : compact;
}
