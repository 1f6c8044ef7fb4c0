// /forgot-password — an e-mail address, and always the same answer: if a login has it, a mail
// with a link is on its way. Nothing on the page tells whether the address is known.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { PublicFrame } from "../invitations/PublicFrame";

const LOOKS_LIKE_EMAIL = /^[^@\s]+@[^@\s]+$/;

export default function ForgotPasswordPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [checked, setChecked] = useState(false);
  const ask = useMutation({
    mutationFn: (address: string) =>
      unwrap(api.POST("/api/v1/auth/password-reset", { body: { email: address } })),
  });
  const invalid =
    (checked && !LOOKS_LIKE_EMAIL.test(email.trim())) ||
    (ask.error instanceof ApiError && ask.error.status === 422);
  const tooMany = ask.error instanceof ApiError && ask.error.status === 429 ? ask.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!LOOKS_LIKE_EMAIL.test(email.trim())) return;
    ask.mutate(email.trim());
  };

  if (ask.isSuccess) {
    return (
      <PublicFrame title={t("auth.forgot.title")}>
        <p className="alert alert-success" role="status">
          {t("auth.forgot.sent")}
        </p>
        <p>{t("auth.forgot.sentHint")}</p>
        <Link to="/">{t("auth.forgot.toLogin")}</Link>
      </PublicFrame>
    );
  }

  return (
    <PublicFrame title={t("auth.forgot.title")}>
      <form className="form" onSubmit={submit} noValidate>
        <p>{t("auth.forgot.intro")}</p>
        <Field
          label={t("auth.forgot.email")}
          error={invalid ? t("auth.forgot.invalid") : undefined}
          required
        >
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="username"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              required
            />
          )}
        </Field>
        {tooMany ? (
          <p className="alert alert-error" role="alert">
            {t("auth.forgot.tooMany", { seconds: tooMany.retryAfterS ?? 60 })}
          </p>
        ) : invalid ? null : (
          <ProblemAlert error={ask.error} />
        )}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={ask.isPending}>
            {t("auth.forgot.submit")}
          </button>
          <Link to="/">{t("auth.forgot.toLogin")}</Link>
        </div>
      </form>
    </PublicFrame>
  );
}
