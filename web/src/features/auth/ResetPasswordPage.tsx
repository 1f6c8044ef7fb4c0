// /reset-password/:token — the link of a forgotten-password mail: a new password twice, then
// "done" with the way to sign in. A used, replaced, expired or unknown link says so.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import type { MessageKey } from "../../i18n/catalog";
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import {
  EMPTY_PASSWORD,
  NewPasswordFields,
  passwordProblems,
  type NewPassword,
} from "../invitations/NewPasswordFields";
import { PublicFrame } from "../invitations/PublicFrame";

type Closed = "used" | "revoked" | "expired" | "unknown";

const CLOSED_MESSAGE: Record<Closed, MessageKey> = {
  used: "auth.reset.used",
  revoked: "auth.reset.revoked",
  expired: "auth.reset.expired",
  unknown: "auth.reset.unknown",
};

function closedState(error: unknown): Closed | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 404) return "unknown";
  if (error.status === 422 && !error.fieldErrors().new_password) return "unknown";
  if (error.status !== 410) return null;
  const state = error.problem.state;
  return state === "used" || state === "revoked" || state === "expired" ? state : "used";
}

export default function ResetPasswordPage() {
  const { t } = useI18n();
  const { token = "" } = useParams();
  const [password, setPassword] = useState<NewPassword>(EMPTY_PASSWORD);
  const [checked, setChecked] = useState(false);
  const reset = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/auth/password-reset/{token}", {
          params: { path: { token } },
          body: { new_password: password.password },
        }),
      ),
  });
  const closed = closedState(reset.error);
  const fieldErrors = reset.error instanceof ApiError ? reset.error.fieldErrors() : {};

  if (reset.isSuccess) {
    return (
      <PublicFrame title={t("auth.reset.title")}>
        <p className="alert alert-success" role="status">
          {t("auth.reset.done")}
        </p>
        <Link to="/" className="btn btn-primary">
          {t("auth.reset.toLogin")}
        </Link>
      </PublicFrame>
    );
  }
  if (closed) {
    return (
      <PublicFrame title={t("auth.reset.title")}>
        <p className="alert alert-warning" role="alert">
          {t(CLOSED_MESSAGE[closed])}
        </p>
        <p className="form-actions">
          <Link to="/forgot-password">{t("auth.reset.askAgain")}</Link>
          <Link to="/">{t("auth.reset.toLogin")}</Link>
        </p>
      </PublicFrame>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(passwordProblems(password)).length) return;
    reset.mutate();
  };
  return (
    <PublicFrame title={t("auth.reset.title")}>
      <form className="form" onSubmit={submit} noValidate>
        <p>{t("auth.reset.intro")}</p>
        <NewPasswordFields
          value={password}
          onChange={setPassword}
          checked={checked}
          serverError={fieldErrors.new_password ? t("auth.reset.passwordRefused") : undefined}
        />
        {fieldErrors.new_password ? null : <ProblemAlert error={reset.error} />}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={reset.isPending}>
            {t("auth.reset.submit")}
          </button>
        </div>
      </form>
    </PublicFrame>
  );
}
