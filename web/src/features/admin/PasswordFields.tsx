// A new password typed twice with the gateway's rule beside it; the two must match and be long
// enough before the form is sent, and the gateway's own refusal shows at the first field.
import { useState } from "react";

import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";

/** The gateway's rule (kring_gateway.logins.passwords): 12 to 256 characters. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export interface TwicePassword {
  password: string;
  repeated: string;
}

export const NO_PASSWORD: TwicePassword = { password: "", repeated: "" };

export function passwordIsSendable(value: TwicePassword): boolean {
  return (
    value.password.length >= PASSWORD_MIN &&
    value.password.length <= PASSWORD_MAX &&
    value.password === value.repeated
  );
}

interface PasswordFieldsProps {
  value: TwicePassword;
  onChange: (value: TwicePassword) => void;
  /** Show what is wrong (after a first attempt to send). */
  checked: boolean;
  serverError?: string | undefined;
}

export function PasswordFields({ value, onChange, checked, serverError }: PasswordFieldsProps) {
  const { t } = useI18n();
  const [shown, setShown] = useState(false);
  const tooShort = checked && value.password.length < PASSWORD_MIN;
  const tooLong = checked && value.password.length > PASSWORD_MAX;
  const differs = checked && !tooShort && value.repeated !== value.password;
  const type = shown ? "text" : "password";
  return (
    <>
      <Field
        label={t("admin.password.new")}
        hint={t("admin.password.rules", { min: PASSWORD_MIN })}
        error={
          tooShort
            ? t("admin.password.tooShort", { min: PASSWORD_MIN })
            : tooLong
              ? t("admin.password.tooLong", { max: PASSWORD_MAX })
              : serverError
        }
        required
      >
        {(control) => (
          <input
            {...control}
            type={type}
            autoComplete="new-password"
            value={value.password}
            onChange={(event) => onChange({ ...value, password: event.target.value })}
          />
        )}
      </Field>
      <Field
        label={t("admin.password.repeat")}
        error={differs ? t("admin.password.differs") : undefined}
        required
      >
        {(control) => (
          <input
            {...control}
            type={type}
            autoComplete="new-password"
            value={value.repeated}
            onChange={(event) => onChange({ ...value, repeated: event.target.value })}
          />
        )}
      </Field>
      <label className="admin-check">
        <input
          type="checkbox"
          checked={shown}
          onChange={(event) => setShown(event.target.checked)}
        />
        {t("admin.password.show")}
      </label>
    </>
  );
}
