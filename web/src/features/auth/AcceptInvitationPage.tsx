// /invite/:token — the link of an invitation mail: who it is for, a password chosen twice, and
// then the member's own session (the refresh token in the cookie; the app reloads at "/" so
// the session is picked up from it as after any reload). A used, expired, revoked or unknown
// link says so in words, each its own.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { startSession } from "../../auth/session";
import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";
import {
  EMPTY_PASSWORD,
  NewPasswordFields,
  passwordProblems,
  type NewPassword,
} from "../invitations/NewPasswordFields";
import { PublicFrame } from "../invitations/PublicFrame";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";

type Closed = "accepted" | "expired" | "revoked" | "unknown";

const CLOSED_MESSAGE: Record<Closed, MessageKey> = {
  accepted: "auth.invite.accepted",
  expired: "auth.invite.expired",
  revoked: "auth.invite.revoked",
  unknown: "auth.invite.unknown",
};

/** Why the link no longer works, when the answer says so; else null. */
function closedState(error: unknown): Closed | null {
  if (!(error instanceof ApiError)) return null;
  // A token malformed for the route (422) is as unknown as a forged one (404).
  if (error.status === 404 || error.status === 422) return "unknown";
  if (error.status !== 410) return null;
  const state = error.problem.state;
  return state === "accepted" || state === "expired" || state === "revoked" ? state : "revoked";
}

export default function AcceptInvitationPage() {
  const { t } = useI18n();
  const { token = "" } = useParams();
  const preview = useQuery({
    queryKey: ["invitations", "accept", token],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/invitations/accept/{token}", {
          params: { path: { token } },
          signal,
        }),
      ),
    retry: false,
    staleTime: Infinity,
  });
  const [closedAfterSend, setClosedAfterSend] = useState<Closed | null>(null);
  const closed = closedAfterSend ?? closedState(preview.error);

  return (
    <PublicFrame title={t("auth.invite.title")}>
      {preview.isPending ? <Loading /> : null}
      {closed ? <ClosedLink state={closed} /> : null}
      {!closed && preview.error ? <ProblemAlert error={preview.error} /> : null}
      {!closed && preview.data ? (
        <AcceptForm
          token={token}
          firstName={preview.data.first_name}
          onClosed={setClosedAfterSend}
        />
      ) : null}
    </PublicFrame>
  );
}

function ClosedLink({ state }: { state: Closed }) {
  const { t } = useI18n();
  return (
    <>
      <p className="alert alert-warning" role="alert">
        {t(CLOSED_MESSAGE[state])}
      </p>
      <p className="form-actions">
        <Link to="/">{t("auth.invite.toLogin")}</Link>
        {state === "accepted" ? <Link to="/forgot-password">{t("auth.login.forgot")}</Link> : null}
      </p>
    </>
  );
}

function AcceptForm(props: {
  token: string;
  firstName: string | null;
  onClosed: (state: Closed) => void;
}) {
  const { t } = useI18n();
  const [password, setPassword] = useState<NewPassword>(EMPTY_PASSWORD);
  const [checked, setChecked] = useState(false);
  const accept = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/invitations/accept/{token}", {
          params: { path: { token: props.token } },
          body: { password: password.password, use_cookie: true },
        }),
      ),
    onSuccess: (answer) => {
      startSession(answer);
      window.location.assign("/");
    },
    onError: (error) => {
      const state = closedState(error);
      if (state) props.onClosed(state);
    },
  });
  const fieldErrors = accept.error instanceof ApiError ? accept.error.fieldErrors() : {};
  const exists = accept.error instanceof ApiError && accept.error.status === 409;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(passwordProblems(password)).length) return;
    accept.mutate();
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <p className="invite-welcome">
        {props.firstName
          ? t("auth.invite.welcome", { name: props.firstName })
          : t("auth.invite.welcomeAnonymous")}
      </p>
      <p>{t("auth.invite.intro")}</p>
      <NewPasswordFields
        value={password}
        onChange={setPassword}
        checked={checked}
        serverError={fieldErrors.password ? t("auth.invite.passwordRefused") : undefined}
      />
      {exists ? (
        <div className="alert alert-error" role="alert">
          <p>{t("auth.invite.exists")}</p>
          <Link to="/forgot-password">{t("auth.login.forgot")}</Link>
        </div>
      ) : fieldErrors.password ? null : (
        <ProblemAlert error={accept.error} />
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={accept.isPending || accept.isSuccess}>
          {accept.isPending || accept.isSuccess ? t("auth.invite.submitting") : t("auth.invite.submit")}
        </button>
      </div>
    </form>
  );
}
