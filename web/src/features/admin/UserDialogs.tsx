// The changes to logins, each in its dialog: a new login, its roles (or contact), a new
// password. Each form lives only while its dialog is open, so a next opening starts clean.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import {
  useCreateUser,
  useResetPassword,
  useUpdateUser,
  type User,
} from "./adminApi";
import { useUserFieldErrors } from "./labels";
import {
  NO_PASSWORD,
  PasswordFields,
  passwordIsSendable,
  type TwicePassword,
} from "./PasswordFields";
import {
  NO_ACCESS,
  RoleFields,
  accessBody,
  accessIsSendable,
  accessOf,
  type Access,
} from "./RoleFields";

const SHOWN_AT_FIELDS = ["email", "password", "new_password", "roles", "contact_id"];

function DialogForm(props: {
  onSubmit: () => void;
  onClose: () => void;
  submitLabel: string;
  busy: boolean;
  error: unknown;
  fieldErrors: Record<string, string>;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const [attempts, setAttempts] = useState(0);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAttempts((count) => count + 1);
    props.onSubmit();
  };
  // After a refused attempt (ours or the gateway's), the first field in error takes the focus.
  useEffect(() => {
    if (!attempts) return;
    form.current
      ?.querySelector<HTMLElement>('[aria-invalid="true"], .field-invalid input')
      ?.focus();
  }, [attempts, props.error]);
  const atFields = SHOWN_AT_FIELDS.some((field) => props.fieldErrors[field]);
  return (
    <form ref={form} className="form" onSubmit={submit} noValidate>
      {props.children}
      {props.error && !atFields ? <ProblemAlert error={props.error} /> : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={props.busy}>
          {props.busy ? t("common.saving") : props.submitLabel}
        </button>
        <button type="button" className="btn" onClick={props.onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

export function CreateUserDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (user: User) => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog open={props.open} title={t("admin.create.title")} onClose={props.onClose}>
      {props.open ? <CreateUserForm {...props} /> : null}
    </Dialog>
  );
}

/** The gateway's own rule for an e-mail address. */
const EMAIL = /^[^@\s]+@[^@\s]+$/;

function CreateUserForm(props: { onClose: () => void; onCreated: (user: User) => void }) {
  const { onClose, onCreated } = props;
  const { t } = useI18n();
  const create = useCreateUser();
  const [email, setEmail] = useState("");
  const [access, setAccess] = useState<Access>(NO_ACCESS);
  const [password, setPassword] = useState<TwicePassword>(NO_PASSWORD);
  const [checked, setChecked] = useState(false);
  const errors = useUserFieldErrors(create.error);
  const emailValid = EMAIL.test(email.trim());
  const emailError =
    errors.email ?? (checked && !emailValid ? t("admin.error.email") : undefined);

  const submit = () => {
    setChecked(true);
    if (!emailValid || !accessIsSendable(access) || !passwordIsSendable(password)) return;
    create.mutate(
      { email: email.trim(), password: password.password, ...accessBody(access) },
      { onSuccess: onCreated },
    );
  };

  return (
    <DialogForm
      onSubmit={submit}
      onClose={onClose}
      submitLabel={t("admin.create.submit")}
      busy={create.isPending}
      error={create.error}
      fieldErrors={errors}
    >
      <Field label={t("admin.user.email")} error={emailError} required>
        {(control) => (
          <input
            {...control}
            type="email"
            autoComplete="off"
            maxLength={320}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <RoleFields value={access} onChange={setAccess} checked={checked} errors={errors} />
      <PasswordFields
        value={password}
        onChange={setPassword}
        checked={checked}
        serverError={errors.password}
      />
    </DialogForm>
  );
}

export function EditAccessDialog(props: { user: User | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog
      open={props.user !== null}
      title={props.user ? t("admin.edit.title", { email: props.user.email }) : ""}
      onClose={props.onClose}
    >
      {props.user ? (
        <EditAccessForm key={props.user.id} user={props.user} onClose={props.onClose} />
      ) : null}
    </Dialog>
  );
}

function EditAccessForm({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const update = useUpdateUser();
  const [access, setAccess] = useState<Access>(() => accessOf(user));
  const [checked, setChecked] = useState(false);
  const errors = useUserFieldErrors(update.error);

  const submit = () => {
    setChecked(true);
    if (!accessIsSendable(access)) return;
    update.mutate({ userId: user.id, change: accessBody(access) }, { onSuccess: onClose });
  };

  return (
    <DialogForm
      onSubmit={submit}
      onClose={onClose}
      submitLabel={t("common.save")}
      busy={update.isPending}
      error={update.error}
      fieldErrors={errors}
    >
      <RoleFields value={access} onChange={setAccess} checked={checked} errors={errors} />
      {user.id === me?.user_id && !(access.kind === "staff" && access.roles.includes("admin")) ? (
        <p className="alert alert-warning" role="status">
          {t("admin.edit.ownAdmin")}
        </p>
      ) : null}
    </DialogForm>
  );
}

export function ResetPasswordDialog(props: {
  user: User | null;
  onClose: () => void;
  onDone: (user: User) => void;
}) {
  const { t } = useI18n();
  return (
    <Dialog
      open={props.user !== null}
      title={props.user ? t("admin.reset.title", { email: props.user.email }) : ""}
      onClose={props.onClose}
    >
      {props.user ? (
        <ResetPasswordForm
          key={props.user.id}
          user={props.user}
          onClose={props.onClose}
          onDone={props.onDone}
        />
      ) : null}
    </Dialog>
  );
}

function ResetPasswordForm(props: {
  user: User;
  onClose: () => void;
  onDone: (user: User) => void;
}) {
  const { t } = useI18n();
  const reset = useResetPassword();
  const [password, setPassword] = useState<TwicePassword>(NO_PASSWORD);
  const [checked, setChecked] = useState(false);
  const errors = useUserFieldErrors(reset.error);

  const submit = () => {
    setChecked(true);
    if (!passwordIsSendable(password)) return;
    reset.mutate(
      { userId: props.user.id, password: password.password },
      { onSuccess: () => props.onDone(props.user) },
    );
  };

  return (
    <DialogForm
      onSubmit={submit}
      onClose={props.onClose}
      submitLabel={t("admin.reset.submit")}
      busy={reset.isPending}
      error={reset.error}
      fieldErrors={errors}
    >
      <p>{t("admin.reset.intro")}</p>
      <PasswordFields
        value={password}
        onChange={setPassword}
        checked={checked}
        serverError={errors.new_password}
      />
    </DialogForm>
  );
}
