// Change one's own password: the current one is asked; other sessions end.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";

export default function PasswordPage() {
  const { t } = useI18n();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/auth/password", {
          body: { current_password: current, new_password: next },
        }),
      ),
  });
  const fieldErrors = change.error instanceof ApiError ? change.error.fieldErrors() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <Page title={t("auth.password.title")}>
      <form onSubmit={submit} className="form narrow">
        {change.isSuccess ? (
          <p className="alert alert-success" role="status">
            {t("auth.password.changed")}
          </p>
        ) : null}
        {change.error && !Object.keys(fieldErrors).length ? (
          <ProblemAlert error={change.error} />
        ) : null}
        <Field label={t("auth.password.current")} error={fieldErrors.current_password} required>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={t("auth.password.new")}
          hint={t("auth.password.rules")}
          error={fieldErrors.new_password}
          required
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(event) => setNext(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={change.isPending}>
          {t("auth.password.submit")}
        </button>
      </form>
    </Page>
  );
}
