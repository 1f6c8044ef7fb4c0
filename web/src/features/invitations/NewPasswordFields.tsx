// A new password typed twice, with the rules beside it. The two must match and be long enough
// before the form is sent; the gateway's own check still answers at the field.
import { useState } from "react";

import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";

/** The gateway's rule (kring_gateway.logins.passwords): 12 to 256 characters. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export interface NewPassword {
  password: string;
  repeated: string;
}

export const EMPTY_PASSWORD: NewPassword = { password: "", repeated: "" };

/** What is wrong with the typed passwords, per field, before asking the gateway. */
export function passwordProblems(value: NewPassword): { password?: "short" | "long"; repeated?: "differs" } {
  const problems: { password?: "short" | "long"; repeated?: "differs" } = {};
  if (value.password.length < PASSWORD_MIN) problems.password = "short";
  else if (value.password.length > PASSWORD_MAX) problems.password = "long";
  if (value.repeated !== value.password) problems.repeated = "differs";
  return problems;
}

interface Props {
  value: NewPassword;
  onChange: (value: NewPassword) => void;
  /** Show the local problems (after a first attempt to send). */
  checked: boolean;
  /** The gateway's error for the password, if it refused it. */
  serverError?: string | undefined;
}

export function NewPasswordFields({ value, onChange, checked, serverError }: Props) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  const problems = checked ? passwordProblems(value) : {};
  const passwordError =
    problems.password === "short"
      ? t("invitations.password.tooShort", { min: PASSWORD_MIN })
      : problems.password === "long"
        ? t("invitations.password.tooLong", { max: PASSWORD_MAX })
        : serverError;
  return (
    <>
      <Field
        label={t("invitations.password.new")}
        hint={t("invitations.password.rules", { min: PASSWORD_MIN })}
        error={passwordError}
        required
      >
        {(control) => (
          <input
            {...control}
            type={shown ? "text" : "password"}
            autoComplete="new-password"
            value={value.password}
            onChange={(event) => onChange({ ...value, password: event.target.value })}
            required
          />
        )}
      </Field>
      <Field
        label={t("invitations.password.repeat")}
        error={problems.repeated ? t("invitations.password.differs") : undefined}
        required
      >
        {(control) => (
          <input
            {...control}
            type={shown ? "text" : "password"}
            autoComplete="new-password"
            value={value.repeated}
            onChange={(event) => onChange({ ...value, repeated: event.target.value })}
            required
          />
        )}
      </Field>
      <label className="show-password">
        <input type="checkbox" checked={shown} onChange={(event) => setShown(event.target.checked)} />{" "}
        {t("invitations.password.show")}
      </label>
    </>
  );
}
