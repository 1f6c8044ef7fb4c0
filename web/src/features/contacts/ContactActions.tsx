// What may be done with one contact, each button only when the caller's role allows it: edit,
// delete (confirmed), GDPR erasure (confirmed by typing a word) and the personal-data export.
// Used by the profile page; the API has no restore of a deleted contact, so there is none here.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";

import { api, apiFetch, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { ProblemAlert } from "../../ui/Problem";
import { refreshContact, type ListNotice } from "./contactApi";
import "./contacts.css";

interface ContactActionsProps {
  contactId: string;
  /** The ETag of the version shown, so a delete does not remove a newer version unseen. */
  etag?: string | undefined;
  /** The contact's name, to say whom an action is about. */
  name?: string | undefined;
  /** After a delete or an erasure (the contact is gone then); by default the contact list
   * opens and says what happened. */
  onGone?: (what: "deleted" | "erased") => void;
}

type Open = "delete" | "erase" | null;

export function ContactActions({ contactId, etag, name, onGone }: ContactActionsProps) {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const path = { params: { path: { contact_id: contactId } } };
  const who = name ?? t("contacts.actions.thisContact");

  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/contacts/contacts/{contact_id}", {
          ...path,
          headers: etag ? { "If-Match": etag } : {},
        }),
      ),
    onSuccess: async () => {
      setOpen(null);
      await gone("deleted");
    },
  });

  const erase = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/contacts/contacts/{contact_id}/erasure", path)),
    onSuccess: async () => {
      setOpen(null);
      await gone("erased");
    },
  });

  const gone = async (what: "deleted" | "erased") => {
    if (onGone) onGone(what);
    else void navigate("/contacts", { state: { notice: what } satisfies ListNotice });
    await refreshContact(queryClient, contactId);
  };

  const exportData = useMutation({ mutationFn: () => downloadPersonalData(contactId, can) });

  // The dialogs call this when they close, after a success too: what happened stays shown.
  const close = () => setOpen(null);
  const ask = (what: Open) => {
    remove.reset();
    erase.reset();
    setOpen(what);
  };

  return (
    <div className="contact-actions">
      <div className="form-actions">
        {can("PATCH", "/contacts/contacts/{contact_id}") ? (
          <Link to={`/contacts/${contactId}/edit`} className="btn btn-primary">
            {t("common.edit")}
          </Link>
        ) : null}
        {can("GET", "/contacts/contacts/{contact_id}/personal-data") ? (
          <button
            type="button"
            className="btn"
            disabled={exportData.isPending}
            onClick={() => exportData.mutate()}
          >
            {exportData.isPending
              ? t("contacts.actions.exporting")
              : t("contacts.actions.personalData")}
          </button>
        ) : null}
        {can("DELETE", "/contacts/contacts/{contact_id}") ? (
          <button type="button" className="btn btn-danger" onClick={() => ask("delete")}>
            {t("common.delete")}
          </button>
        ) : null}
        {can("POST", "/contacts/contacts/{contact_id}/erasure") ? (
          <button type="button" className="btn btn-danger" onClick={() => ask("erase")}>
            {t("contacts.actions.erase")}
          </button>
        ) : null}
      </div>
      {exportData.data?.length ? (
        <p className="alert alert-warning" role="status">
          {t("contacts.actions.partsMissing", { parts: exportData.data.join(", ") })}
        </p>
      ) : null}
      <ProblemAlert error={exportData.error} />
      <ConfirmDialog
        open={open === "delete"}
        title={t("contacts.actions.deleteTitle")}
        message={
          <>
            <p>{t("contacts.actions.deleteBody", { name: who })}</p>
            <ProblemAlert error={remove.error} />
          </>
        }
        confirmLabel={t("common.delete")}
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={close}
      />
      <ConfirmDialog
        open={open === "erase"}
        title={t("contacts.actions.eraseTitle")}
        message={
          <>
            <p>{t("contacts.actions.eraseBody", { name: who })}</p>
            <ProblemAlert error={erase.error} />
          </>
        }
        confirmLabel={t("contacts.actions.erase")}
        typedConfirmation={t("contacts.actions.eraseWord")}
        danger
        busy={erase.isPending}
        onConfirm={() => erase.mutate()}
        onCancel={close}
      />
    </div>
  );
}

// Each service answers for its own part of what it holds on a person.
const PERSONAL_DATA_PARTS = ["contacts", "memberships", "newsletters"] as const;

/** Saves every part the caller may read as one JSON file; answers the parts that failed. */
async function downloadPersonalData(
  contactId: string,
  can: ReturnType<typeof useAuth>["can"],
): Promise<string[]> {
  const parts = PERSONAL_DATA_PARTS.filter((service) =>
    can("GET", `/${service}/contacts/{contact_id}/personal-data`),
  );
  const answers = await Promise.allSettled(
    parts.map(async (service) => {
      const response = await apiFetch(`/api/v1/${service}/contacts/${contactId}/personal-data`);
      return (await response.json()) as unknown;
    }),
  );
  const bundle: Record<string, unknown> = { contact_id: contactId };
  const missing: string[] = [];
  answers.forEach((answer, index) => {
    const service = parts[index] ?? "";
    if (answer.status === "fulfilled") bundle[service] = answer.value;
    else missing.push(service);
  });
  // Without the contact file's own part there is nothing worth saving.
  const first = answers[0];
  if (parts[0] === "contacts" && first?.status === "rejected") throw first.reason;
  saveJson(bundle, `personal-data-${contactId}.json`);
  return missing;
}

function saveJson(value: unknown, name: string) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}
