// What a login may do: a staff login with one or more roles, or a member login tied to one
// contact (the gateway refuses mixing the two, so the form offers one or the other).
import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName } from "../../ui/ContactPicker";
import { STAFF_ROLES, type Role } from "./adminApi";
import { useAdminLabels } from "./labels";
import { useContact } from "../contacts/contactApi";

export interface Access {
  kind: "staff" | "member";
  roles: Role[];
  contactId: string | null;
  /** The chosen contact's name, when known from the picker. */
  contactName: string;
}

export const NO_ACCESS: Access = { kind: "staff", roles: [], contactId: null, contactName: "" };

export function accessOf(user: { roles: Role[]; contact_id: string | null }): Access {
  return user.roles.includes("member")
    ? { kind: "member", roles: ["member"], contactId: user.contact_id, contactName: "" }
    : { kind: "staff", roles: user.roles, contactId: null, contactName: "" };
}

/** The body's roles and contact for the access. */
export function accessBody(access: Access): { roles: Role[]; contact_id: string | null } {
  return access.kind === "member"
    ? { roles: ["member"], contact_id: access.contactId }
    : { roles: STAFF_ROLES.filter((role) => access.roles.includes(role)), contact_id: null };
}

export function accessIsSendable(access: Access): boolean {
  return access.kind === "member" ? access.contactId !== null : access.roles.length > 0;
}

interface RoleFieldsProps {
  value: Access;
  onChange: (value: Access) => void;
  checked: boolean;
  errors: Record<string, string>;
}

export function RoleFields({ value, onChange, checked, errors }: RoleFieldsProps) {
  const { t } = useI18n();
  const labels = useAdminLabels();
  const rolesError =
    errors.roles ?? (checked && value.kind === "staff" && !value.roles.length
      ? t("admin.error.roles")
      : undefined);
  const contactError =
    errors.contact_id ?? (checked && value.kind === "member" && !value.contactId
      ? t("admin.error.contact_id")
      : undefined);

  const toggle = (role: Role, on: boolean) =>
    onChange({
      ...value,
      roles: on ? [...value.roles, role] : value.roles.filter((held) => held !== role),
    });

  return (
    <>
      <fieldset className="admin-fieldset">
        <legend>{t("admin.access.kind")}</legend>
        <div className="admin-radios">
          <label className="admin-check">
            <input
              type="radio"
              name="login-kind"
              checked={value.kind === "staff"}
              onChange={() => onChange({ ...value, kind: "staff" })}
            />
            {t("admin.access.staff")}
          </label>
          <label className="admin-check">
            <input
              type="radio"
              name="login-kind"
              checked={value.kind === "member"}
              onChange={() => onChange({ ...value, kind: "member" })}
            />
            {t("admin.access.member")}
          </label>
        </div>
      </fieldset>
      {value.kind === "staff" ? (
        <fieldset
          className={rolesError ? "admin-fieldset field-invalid" : "admin-fieldset"}
          aria-describedby={rolesError ? "admin-roles-error" : undefined}
        >
          <legend>{t("admin.access.roles")}</legend>
          <div className="admin-checks">
            {STAFF_ROLES.map((role) => (
              <label key={role} className="admin-check">
                <input
                  type="checkbox"
                  checked={value.roles.includes(role)}
                  onChange={(event) => toggle(role, event.target.checked)}
                />
                <span>
                  {labels.role(role)}
                  <span className="admin-muted"> · {t(`admin.roleHint.${role}`)}</span>
                </span>
              </label>
            ))}
          </div>
          {rolesError ? (
            <p className="field-error" id="admin-roles-error">
              {rolesError}
            </p>
          ) : null}
        </fieldset>
      ) : (
        <MemberContact value={value} onChange={onChange} error={contactError} />
      )}
    </>
  );
}

function MemberContact({
  value,
  onChange,
  error,
}: {
  value: Access;
  onChange: (value: Access) => void;
  error: string | undefined;
}) {
  const { t } = useI18n();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      {value.contactId ? (
        <p className="admin-chosen">
          {t("admin.access.contactChosen")}{" "}
          <strong>
            {value.contactName || <ContactNameText contactId={value.contactId} />}
          </strong>
        </p>
      ) : (
        <ContactPicker
          label={t("admin.access.contact")}
          onPick={(contact) =>
            onChange({ ...value, contactId: contact.id, contactName: contactName(contact) })
          }
        />
      )}
      {value.contactId ? (
        <button
          type="button"
          className="btn-link admin-other-contact"
          onClick={() => onChange({ ...value, contactId: null, contactName: "" })}
        >
          {t("admin.access.otherContact")}
        </button>
      ) : null}
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}

/** A linked contact's name, asked of the contacts service (an id when it cannot say). */
export function ContactNameText({ contactId }: { contactId: string }) {
  const contact = useContact(contactId);
  return contact.data ? contactName(contact.data.contact) : contactId.slice(0, 8);
}
