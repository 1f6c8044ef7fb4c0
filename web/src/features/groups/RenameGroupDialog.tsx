// Renaming a group, sent with the ETag of the version shown: when someone changed it meanwhile
// (412), the group is loaded again and the person sees its current name before trying again.
import { useEffect, useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useRenameGroup } from "./groupApi";

interface RenameGroupDialogProps {
  open: boolean;
  groupId: string;
  name: string;
  etag: string;
  onClose: () => void;
}

export function RenameGroupDialog({ open, groupId, name, etag, onClose }: RenameGroupDialogProps) {
  const { t } = useI18n();
  const rename = useRenameGroup(groupId);
  const [draft, setDraft] = useState(name);
  const error = rename.error instanceof ApiError ? rename.error : null;
  const fieldErrors = error?.fieldErrors() ?? {};
  const stale = error?.status === 412;

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
    <Dialog open={open} title={t("groups.rename.title")} onClose={close}>
      <form onSubmit={submit} noValidate>
        {rename.error && !fieldErrors.name ? <ProblemAlert error={rename.error} /> : null}
        {stale ? (
          <p className="alert alert-warning" role="status">
            {t("groups.rename.stale", { name })}
          </p>
        ) : null}
        <Field label={t("groups.field.name")} error={fieldErrors.name} required>
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
          <button
            type="submit"
            className="btn btn-primary"
            disabled={rename.isPending || !draft.trim()}
          >
            {rename.isPending ? t("common.saving") : t("common.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
