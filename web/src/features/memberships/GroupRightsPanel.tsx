// The access rights a group grants its members (for the group page): granting one by its code
// and taking one away. Every member's access follows through the memberships service.
import { useId, useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { RIGHT_PATTERN, useGrantRight, useGroupRights, useRevokeRight } from "./membershipApi";
import "./memberships.css";

export function GroupRightsPanel({ groupId }: { groupId: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const headingId = useId();
  const rights = useGroupRights(groupId);
  const revoke = useRevokeRight(groupId);
  const granted = rights.data?.rights ?? [];
  const mayGrant = can("PUT", "/memberships/groups/{group_id}/rights/{right}");
  const mayRevoke = can("DELETE", "/memberships/groups/{group_id}/rights/{right}");

  return (
    <section className="card ms-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("memberships.groupRights.heading")}</h2>
      {rights.isPending ? <Loading /> : null}
      {/* A group the service has not heard of yet (its event is on the way) has no grants. */}
      {rights.error instanceof ApiError && rights.error.status === 404 ? (
        <p>{t("memberships.groupRights.notYet")}</p>
      ) : (
        <ProblemAlert error={rights.error} />
      )}
      {rights.isSuccess && granted.length === 0 ? <p>{t("memberships.groupRights.none")}</p> : null}
      {granted.length ? (
        <ul className="ms-rights" aria-label={t("memberships.groupRights.heading")}>
          {granted.map((right) => (
            <li key={right}>
              <code>{right}</code>
              {mayRevoke ? (
                <button
                  type="button"
                  className="btn btn-link"
                  disabled={revoke.isPending}
                  aria-label={t("memberships.groupRights.revokeOne", { right })}
                  onClick={() => revoke.mutate(right)}
                >
                  {t("memberships.groupRights.revoke")}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <ProblemAlert error={revoke.error} />
      {mayGrant && rights.isSuccess ? <GrantForm groupId={groupId} granted={granted} /> : null}
      <p className="ms-muted">{t("memberships.groupRights.hint")}</p>
    </section>
  );
}

function GrantForm({ groupId, granted }: { groupId: string; granted: string[] }) {
  const { t } = useI18n();
  const grant = useGrantRight(groupId);
  const [code, setCode] = useState("");
  const wanted = code.trim();
  const malformed = wanted !== "" && !RIGHT_PATTERN.test(wanted);
  const apiError = grant.error instanceof ApiError ? grant.error.fieldErrors().right : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!wanted || malformed) return;
    grant.mutate(wanted, { onSuccess: () => setCode("") });
  };

  return (
    <form className="ms-inline-form" onSubmit={submit} noValidate>
      <Field
        label={t("memberships.groupRights.code")}
        hint={t("memberships.groupRights.codeHint")}
        error={malformed ? t("memberships.groupRights.malformed") : apiError}
      >
        {(control) => (
          <input
            {...control}
            value={code}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => {
              setCode(event.target.value);
              grant.reset();
            }}
          />
        )}
      </Field>
      <button
        type="submit"
        className="btn btn-primary"
        disabled={grant.isPending || !wanted || malformed || granted.includes(wanted)}
      >
        {t("memberships.groupRights.grant")}
      </button>
      {apiError ? null : <ProblemAlert error={grant.error} />}
    </form>
  );
}
