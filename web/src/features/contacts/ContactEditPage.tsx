// Editing a contact: PATCH of the changed fields with If-Match (the ETag of the version the
// form started from). When someone else saved in between (412), a dialog puts each of our
// changes beside the current value: keep ours (sent again on the new version) or take theirs.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { contactName } from "../../ui/ContactPicker";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import {
  etagOfVersion,
  fetchContact,
  refreshContact,
  useContact,
  type Contact,
  type VersionedContact,
} from "./contactApi";
import { ConflictDialog, type Conflict } from "./ConflictDialog";
import { ContactForm } from "./ContactForm";
import { formOf, patchBody, type ContactFormValues } from "./contactForm";
import "./contacts.css";

export default function ContactEditPage() {
  const { contactId = "" } = useParams();
  const loaded = useContact(contactId);
  // The form starts from the first version read (later refetches must not overwrite typing),
  // and starts over, as a new form, from the version taken after a conflict.
  const [start, setStart] = useState<{ base: VersionedContact; round: number } | null>(null);

  useEffect(() => {
    if (loaded.data && !start) setStart({ base: loaded.data, round: 0 });
  }, [loaded.data, start]);

  if (loaded.error) return <EditFrame title="">{<ProblemAlert error={loaded.error} />}</EditFrame>;
  if (!start) return <Loading />;
  return (
    <EditContact
      key={start.round}
      base={start.base}
      onRebase={(base) => setStart({ base, round: start.round + 1 })}
    />
  );
}

function EditFrame({ title, children }: { title: string; children: React.ReactNode }) {
  const { t } = useI18n();
  return <Page title={title || t("contacts.edit.titlePlain")}>{children}</Page>;
}

interface EditContactProps {
  base: VersionedContact;
  /** Start again from another version (after taking the other person's values). */
  onRebase: (next: VersionedContact) => void;
}

function EditContact({ base, onRebase }: EditContactProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const contactId = base.contact.id;
  const baseValues = formOf(base.contact);
  const [values, setValues] = useState<ContactFormValues>(baseValues);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  const save = useMutation({
    mutationFn: async (etag: string | undefined) => {
      const body = patchBody(baseValues, values);
      if (Object.keys(body).length === 0) return null;
      return unwrap(
        api.PATCH("/api/v1/contacts/contacts/{contact_id}", {
          params: { path: { contact_id: contactId } },
          body,
          headers: etag ? { "If-Match": etag } : {},
        }),
      );
    },
    onSuccess: async () => {
      setConflict(null);
      await refreshContact(queryClient, contactId);
      void navigate(`/contacts/${contactId}`);
    },
    // A new 412 shows the newer values; any other error belongs to the form behind the dialog.
    onError: (error) => setConflict(staleConflict(error)),
  });

  const takeTheirs = useMutation({
    mutationFn: () => fetchContact(contactId),
    onSuccess: (fresh) => {
      queryClient.setQueryData(["contacts", "one", contactId], fresh);
      setConflict(null);
      onRebase(fresh);
    },
  });

  const formError = staleConflict(save.error) ? null : save.error;
  return (
    <EditFrame title={t("contacts.edit.title", { name: contactName(base.contact) })}>
      <ContactForm
        values={values}
        onChange={setValues}
        onSubmit={() => save.mutate(base.etag)}
        error={formError}
        busy={save.isPending}
        cancelTo={`/contacts/${contactId}`}
      />
      {conflict ? (
        <ConflictDialog
          conflict={conflict}
          base={baseValues}
          mine={values}
          busy={save.isPending || takeTheirs.isPending}
          error={takeTheirs.error}
          onKeepMine={() => save.mutate(conflict.etag)}
          onTakeTheirs={() => takeTheirs.mutate()}
          onClose={() => setConflict(null)}
        />
      ) : null}
    </EditFrame>
  );
}

function staleConflict(error: unknown): Conflict | null {
  if (!(error instanceof ApiError) || error.status !== 412) return null;
  const current = error.problem.current as Contact | undefined;
  if (!current) return null;
  return { current, etag: etagOfVersion(error.problem.current_version) };
}
