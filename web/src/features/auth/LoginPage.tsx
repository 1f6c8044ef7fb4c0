// Sign in: e-mail and password; wrong password, a locked login and too many attempts each get
// their own message.
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Page } from "../../ui/Page";

export default function LoginPage() {
  const { t } = useI18n();
  const { login } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await login(email, password);
    } catch (error) {
      setMessage(loginMessage(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <Page title={t("auth.login.title")}>
        <form onSubmit={(event) => void submit(event)} noValidate>
          {message ? (
            <div className="alert alert-error" role="alert">
              {message}
            </div>
          ) : null}
          <Field label={t("auth.login.email")} required>
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
          <Field label={t("auth.login.password")} required>
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                required
              />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t("auth.login.submit")}
            </button>
            <Link to="/forgot-password">{t("auth.login.forgot")}</Link>
          </div>
        </form>
      </Page>
    </main>
  );
}

function loginMessage(error: unknown, t: ReturnType<typeof useI18n>["t"]): string {
  if (!(error instanceof ApiError)) return t("common.problem.network");
  if (error.status === 429 && error.problem.reason === "locked") {
    return t("auth.login.locked");
  }
  if (error.status === 429) {
    return t("auth.login.tooMany", { seconds: error.retryAfterS ?? 60 });
  }
  if (error.status === 401) return t("auth.login.wrong");
  if (error.status === 422) return t("auth.login.invalid");
  return error.problem.title;
}
