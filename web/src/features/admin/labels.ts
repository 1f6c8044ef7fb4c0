// The words for the gateway's codes (roles, audit outcomes) and the API's field errors in the
// person's language.
import { ApiError } from "../../api/problem";
import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";
import type { Role } from "./adminApi";

const ROLE: Record<Role, MessageKey> = {
  admin: "admin.role.admin",
  secretary: "admin.role.secretary",
  treasurer: "admin.role.treasurer",
  communications: "admin.role.communications",
  read_only: "admin.role.read_only",
  member: "admin.role.member",
};

export type Outcome = "ok" | "refused" | "failed";

/** What an audited answer meant: done (1xx–3xx), refused by a rule (4xx), failed (5xx). */
export function outcomeOf(status: number): Outcome {
  if (status >= 500) return "failed";
  if (status >= 400) return "refused";
  return "ok";
}

export const OUTCOME_BADGE: Record<Outcome, string> = {
  ok: "badge badge-ok",
  refused: "badge badge-warn",
  failed: "badge badge-danger",
};

/** The status codes the audit holds, by outcome, for the filter (the API filters one code). */
export const STATUS_CODES: Record<Outcome, number[]> = {
  ok: [200, 201, 202, 204],
  refused: [400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428, 429],
  failed: [500, 502, 503, 504],
};

export function useAdminLabels() {
  const { t } = useI18n();
  return {
    role: (role: string) => (role in ROLE ? t(ROLE[role as Role]) : role.replaceAll("_", " ")),
    outcome: (outcome: Outcome) => t(`admin.outcome.${outcome}`),
  };
}

const KNOWN_FIELDS = ["email", "password", "new_password", "roles", "contact_id"] as const;
type KnownField = (typeof KNOWN_FIELDS)[number];

/** The API's field errors by field, in the person's language where we know what the field
 * needs; a 409 on creating is the e-mail that is taken. */
export function useUserFieldErrors(error: unknown): Record<string, string> {
  const { t } = useI18n();
  if (!(error instanceof ApiError)) return {};
  if (error.status === 409) return { email: t("admin.error.emailTaken") };
  const byField: Record<string, string> = {};
  for (const [field, message] of Object.entries(error.fieldErrors())) {
    const name = field.replace(/\.\d+$/, "");
    byField[name] ??= (KNOWN_FIELDS as readonly string[]).includes(name)
      ? t(`admin.error.${name as KnownField}`)
      : message;
  }
  return byField;
}
