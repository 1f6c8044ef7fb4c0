// The contacts linked to a company with their function there: a link to each profile, change
// the function (a new PUT re-links), unlink, and link a contact picked by any field.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ChosenContact } from "../../ui/ChosenContact";
import { ContactPicker, contactName, type ContactSummary } from "../../ui/ContactPicker";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { FormActions } from "../../ui/FormActions";
import { LinkedContacts } from "../../ui/LinkedContacts";
import { ProblemAlert } from "../../ui/Problem";
import { alertErrorOf, fieldErrorsOf } from "../../ui/tagged";
import { companyKeys, type Company, type LinkedContact } from "./companyApi";

export function CompanyContacts({ company }: { company: Company }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [renaming, setRenaming] = useState<LinkedContact | null>(null);
  const mayLink = can("PUT", "/contacts/companies/{company_id}/contacts/{contact_id}");
  const mayUnlink = can("DELETE", "/contacts/companies/{company_id}/contacts/{contact_id}");
  const path = (contactId: string) => ({
    params: { path: { company_id: company.id, contact_id: contactId } },
  });

  const link = useMutation({
    mutationFn: ({ contactId, role }: { contactId: string; role: string }) =>
      unwrap(
        api.PUT("/api/v1/contacts/companies/{company_id}/contacts/{contact_id}", {
          ...path(contactId),
          body: { role: role.trim() },
        }),
      ),
    onSuccess: async () => {
      setRenaming(null);
      await queryClient.invalidateQueries({ queryKey: companyKeys.all });
    },
  });
  const unlink = useMutation({
    mutationFn: (contactId: string) =>
      unwrap(api.DELETE("/api/v1/contacts/companies/{company_id}/contacts/{contact_id}", path(contactId))),
    onSettled: () => queryClient.invalidateQueries({ queryKey: companyKeys.all }),
  });
  const linkedIds = new Set(company.contacts.map((contact) => contact.contact_id));

  return (
    <section className="card" aria-labelledby="company-contacts">
      <h2 id="company-contacts">{t("companies.contacts.title")}</h2>
      <ProblemAlert error={unlink.error} />
      <LinkedContacts
        contacts={company.contacts}
        none={t("companies.contacts.none")}
        caption={t("companies.contacts.title")}
        headers={{
          name: t("companies.contacts.name"),
          role: t("companies.contacts.role"),
          email: t("companies.contacts.email"),
          since: t("companies.contacts.since"),
          actions: t("companies.contracts.actions"),
        }}
        role={(contact) => contact.role}
        actions={
          mayLink || mayUnlink
            ? (contact, name) => (
                <div className="row-actions">
                  {mayLink ? (
                    <button
                      type="button"
                      className="btn"
                      aria-label={t("companies.contacts.changeRoleNamed", { name })}
                      onClick={() => {
                        link.reset();
                        setRenaming(contact);
                      }}
                    >
                      {t("companies.contacts.changeRole")}
                    </button>
                  ) : null}
                  {mayUnlink ? (
                    <button
                      type="button"
                      className="btn"
                      disabled={unlink.isPending}
                      aria-label={t("companies.contacts.unlinkNamed", { name })}
                      onClick={() => unlink.mutate(contact.contact_id)}
                    >
                      {t("common.remove")}
                    </button>
                  ) : null}
                </div>
              )
            : undefined
        }
      />
      {mayLink ? (
        <LinkContact
          exclude={linkedIds}
          busy={link.isPending}
          error={renaming ? null : link.error}
          onLink={(contactId, role) => link.mutate({ contactId, role })}
        />
      ) : null}
      <Dialog
        open={renaming !== null}
        title={t("companies.contacts.changeRoleTitle", { name: renaming ? contactName(renaming) : "" })}
        onClose={() => setRenaming(null)}
      >
        {renaming ? (
          <RoleForm
            initial={renaming.role}
            busy={link.isPending}
            error={link.error}
            onCancel={() => setRenaming(null)}
            onSave={(role) => link.mutate({ contactId: renaming.contact_id, role })}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

interface LinkContactProps {
  exclude: ReadonlySet<string>;
  busy: boolean;
  error: unknown;
  onLink: (contactId: string, role: string) => void;
}

function LinkContact({ exclude, busy, error, onLink }: LinkContactProps) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<ContactSummary | null>(null);
  const [role, setRole] = useState("");
  const errors = fieldErrorsOf(error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    onLink(chosen.id, role);
    setChosen(null);
    setRole("");
  };
  return (
    <form className="add-member" onSubmit={submit}>
      <h3>{t("companies.contacts.add")}</h3>
      <ProblemAlert error={alertErrorOf(error)} />
      <div className="toolbar">
        {chosen ? (
          <ChosenContact contact={chosen} onOther={() => setChosen(null)} />
        ) : (
          <ContactPicker label={t("common.contact.find")} exclude={exclude} onPick={setChosen} />
        )}
        <Field label={t("companies.contacts.role")} error={errors.role} required>
          {(control) => (
            <input
              {...control}
              value={role}
              maxLength={200}
              placeholder={t("companies.contacts.rolePlaceholder")}
              onChange={(event) => setRole(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={!chosen || !role.trim() || busy}>
          {t("companies.contacts.addButton")}
        </button>
      </div>
    </form>
  );
}

interface RoleFormProps {
  initial: string;
  busy: boolean;
  error: unknown;
  onCancel: () => void;
  onSave: (role: string) => void;
}

function RoleForm({ initial, busy, error, onCancel, onSave }: RoleFormProps) {
  const { t } = useI18n();
  const [role, setRole] = useState(initial);
  const errors = fieldErrorsOf(error);
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        onSave(role);
      }}
    >
      <ProblemAlert error={alertErrorOf(error)} />
      <Field label={t("companies.contacts.role")} error={errors.role} required>
        {(control) => (
          <input
            {...control}
            value={role}
            required
            maxLength={200}
            onChange={(event) => setRole(event.target.value)}
          />
        )}
      </Field>
      <FormActions busy={busy} disabled={!role.trim()} onCancel={onCancel} />
    </form>
  );
}
