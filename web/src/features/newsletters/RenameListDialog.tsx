// Renaming a list, sent with the ETag of the version shown: when someone changed it meanwhile
// (412) the person sees the name it has now and may save theirs over it (the list is loaded
// again, so the next try carries the current version).
import { useEffect, useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useRenameList, type MailingList } from "./newslettersApi";

interface RenameListDialogProps {
  open: boolean;
  listId: string;
  name: string;
  etag: string;
  onClose: () => void;
}

export function RenameListDialog({ open, listId, name, etag, onClose }: RenameListDialogProps) {
  const { t } = useI18n();
  const rename = useRenameList(listId);
  const [draft, setDraft] = useState(name);
  const error = rename.error instanceof ApiError ? rename.error : null;
  const fieldErrors = error?.fieldErrors() ?? {};
  const theirs = error?.status === 412 ? (error.problem.current as MailingList | null | undefined) : null;

  useEffect(() => {
    if (open) setDraft(name);
    // Only when the dialog opens: a reload after a 412 must not overwrite what was typed.
  }, [open]);

  const close = () => {
    rename.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate({ name: draft.trim(), etag }, { onSuccess: close });
  };

  return (
    <Dialog open={open} title={t("newsletters.list.renameTitle")} onClose={close}>
      <form onSubmit={submit} noValidate>
        {error?.status === 412 ? (
          <div className="alert alert-warning" role="alert">
            <strong>{t("common.problem.stale")}</strong>
            <p>{t("newsletters.list.stale", { name: theirs?.name ?? name })}</p>
          </div>
        ) : rename.error && !fieldErrors.name ? (
          <ProblemAlert error={rename.error} />
        ) : null}
        <Field label={t("newsletters.list.name")} error={fieldErrors.name} required>
          {(control) => (
            <input
              {...control}
              value={draft}
              maxLength={200}
              autoComplete="off"
              onChange={(event) => setDraft(event.target.value)}
            />
          )}
        </Field>
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={close}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" disabled={rename.isPending || !draft.trim()}>
            {rename.isPending
              ? t("common.saving")
              : error?.status === 412
                ? t("newsletters.list.keepMine")
                : t("common.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
