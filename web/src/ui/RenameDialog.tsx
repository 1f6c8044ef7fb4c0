// Renaming a record, sent with the ETag of the version shown. When someone changed it meanwhile
// (412) the caller says so (its mutation loads the record again, so the next try carries the
// current version); what was typed stays.
import { useEffect, useState, type FormEvent, type ReactNode } from "react";

import { ApiError } from "../api/problem";
import { useI18n } from "../i18n/i18n";
import { Dialog } from "./Dialog";
import { Field } from "./Field";
import { ProblemAlert } from "./Problem";

interface Rename {
  mutate: (change: { name: string; etag: string }, options: { onSuccess: () => void }) => void;
  reset: () => void;
  error: unknown;
  isPending: boolean;
}

interface RenameDialogProps {
  open: boolean;
  title: string;
  /** The name field's label. */
  label: string;
  name: string;
  etag: string;
  rename: Rename;
  onClose: () => void;
  /** What a person sees when someone else changed it meanwhile (412). */
  staleNotice: (error: ApiError) => ReactNode;
  /** The stale notice stands in place of the error alert instead of below it. */
  staleReplacesAlert?: boolean;
  /** The save button's words after a 412. */
  staleSaveLabel?: string;
}

export function RenameDialog(props: RenameDialogProps) {
  const { open, name, etag, rename, onClose } = props;
  const { t } = useI18n();
  const [draft, setDraft] = useState(name);
  const error = rename.error instanceof ApiError ? rename.error : null;
  const fieldErrors = error?.fieldErrors() ?? {};
  const stale = error?.status === 412 ? error : null;

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
  const showAlert = rename.error && !fieldErrors.name && !(stale && props.staleReplacesAlert);

  return (
    <Dialog open={open} title={props.title} onClose={close}>
      <form onSubmit={submit} noValidate>
        {showAlert ? <ProblemAlert error={rename.error} /> : null}
        {stale ? props.staleNotice(stale) : null}
        <Field label={props.label} error={fieldErrors.name} required>
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
              : stale && props.staleSaveLabel
                ? props.staleSaveLabel
                : t("common.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
