// The federation affiliation export's server state: the columns on offer, profiles, and each
// profile's export history, with the query keys they share.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Profile = Schemas["memberships.Profile"];
export type ProfileIn = Schemas["memberships.ProfileIn"];
export type ColumnChoice = Schemas["memberships.ColumnChoice"];
export type ExportSummary = Schemas["memberships.ExportSummary"];
export type ExportMode = ExportSummary["mode"];
export type Separator = NonNullable<ProfileIn["csv_separator"]>;
export type Encoding = NonNullable<ProfileIn["csv_encoding"]>;
export type FileFormat = NonNullable<ProfileIn["format"]>;

export const SEPARATORS: readonly Separator[] = [";", ",", "tab"];
export const ENCODINGS: readonly Encoding[] = ["utf-8", "utf-8-bom", "windows-1252"];
export const FORMATS: readonly FileFormat[] = ["csv", "xlsx"];

export const affiliationKeys = {
  all: ["affiliation"] as const,
  columns: ["affiliation", "columns"] as const,
  profiles: ["affiliation", "profiles"] as const,
  history: (profileId: string) => ["affiliation", "history", profileId] as const,
};

export function useColumns() {
  return useQuery({
    queryKey: affiliationKeys.columns,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/memberships/affiliation/columns", { signal })),
    staleTime: Infinity,
  });
}

export function useProfiles() {
  return useQuery({
    queryKey: affiliationKeys.profiles,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/memberships/affiliation/profiles", { signal })),
  });
}

export function useHistory(profileId: string | null) {
  return useQuery({
    queryKey: affiliationKeys.history(profileId ?? ""),
    enabled: Boolean(profileId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/memberships/affiliation/profiles/{profile_id}/exports", {
          params: { path: { profile_id: profileId ?? "" }, query: { limit: 50, offset: 0 } },
          signal,
        }),
      ),
  });
}

/** Creates the profile, or replaces it when it has an id. */
export function useSaveProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: ProfileIn }) =>
      id
        ? unwrap(
            api.PUT("/api/v1/memberships/affiliation/profiles/{profile_id}", {
              params: { path: { profile_id: id } },
              body,
            }),
          )
        : unwrap(api.POST("/api/v1/memberships/affiliation/profiles", { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: affiliationKeys.profiles }),
  });
}

export function useRunExport(profileId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ mode, on }: { mode: ExportMode; on: string | null }) =>
      unwrap(
        api.POST("/api/v1/memberships/affiliation/profiles/{profile_id}/exports", {
          params: { path: { profile_id: profileId } },
          body: { mode, on },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: affiliationKeys.all }),
  });
}
