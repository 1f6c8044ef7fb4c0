// Administration's server state: logins (list, create, change roles, deactivate, unlock,
// reset a password) and the audit, with the query keys the two pages share.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Role = Schemas["Role"];
/** A login as GET /users answers it; `last_login_at` only once the gateway gives it. */
export type User = Schemas["UserOut"] & { last_login_at?: string | null };
export type UserCreate = Schemas["UserCreate"];
export type UserUpdate = Schemas["UserUpdate"];
export type AuditEntry = Schemas["AuditEntryOut"];
export type AuditMethod = "POST" | "PUT" | "PATCH" | "DELETE";

/** The staff roles a login may combine; `member` stands alone and names a contact. */
export const STAFF_ROLES: Role[] = [
  "admin",
  "secretary",
  "treasurer",
  "communications",
  "read_only",
];
export const AUDIT_METHODS: AuditMethod[] = ["POST", "PUT", "PATCH", "DELETE"];
/** The API's largest page: the audit's "who" choice and e-mails come from one request. */
const ALL_USERS_LIMIT = 500;

export const adminKeys = {
  users: ["admin", "users"] as const,
  userList: (offset: number, limit: number) => ["admin", "users", "list", offset, limit] as const,
  allUsers: ["admin", "users", "all"] as const,
  audit: ["admin", "audit"] as const,
  auditList: (query: AuditQuery) => ["admin", "audit", query] as const,
};

/** The filters GET /audit takes. */
export interface AuditQuery {
  offset: number;
  limit: number;
  user_id?: string;
  method?: AuditMethod;
  route?: string;
  object_id?: string;
  status?: number;
  since?: string;
  until?: string;
}

export function useUserList(offset: number, limit: number) {
  return useQuery({
    queryKey: adminKeys.userList(offset, limit),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/users", { params: { query: { offset, limit } }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** Every login (up to the API's largest page), to name the people in the audit. */
export function useAllUsers() {
  return useQuery({
    queryKey: adminKeys.allUsers,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/users", {
          params: { query: { offset: 0, limit: ALL_USERS_LIMIT } },
          signal,
        }),
      ),
    staleTime: 60_000,
  });
}

function useInvalidateUsers() {
  const client = useQueryClient();
  // A change to a login is also a new audit entry.
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: adminKeys.users }),
      client.invalidateQueries({ queryKey: adminKeys.audit }),
    ]);
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.POST("/api/v1/users", { body })),
    onSuccess: invalidate,
  });
}

/** Roles, active, unlock. The gateway keeps no version of a login, so there is no If-Match. */
export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ userId, change }: { userId: string; change: Partial<UserUpdate> }) =>
      unwrap(
        api.PATCH("/api/v1/users/{user_id}", {
          params: { path: { user_id: userId } },
          body: { unlock: false, ...change },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useResetPassword() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ userId, password }: { userId: string; password: string }) =>
      unwrap(
        api.PUT("/api/v1/users/{user_id}/password", {
          params: { path: { user_id: userId } },
          body: { new_password: password },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useAuditList(query: AuditQuery) {
  return useQuery({
    queryKey: adminKeys.auditList(query),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/audit", { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** A login is locked while its lock lies in the future. */
export function isLocked(user: User, now = Date.now()): boolean {
  return user.locked_until !== null && new Date(user.locked_until).getTime() > now;
}
