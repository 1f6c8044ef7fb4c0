// Save the search as it stands under a name, private or shared with every colleague.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import type { ApiQuery } from "./filterTree";
import { SAVED_KEY, type SavedSearch } from "./finderApi";

interface SaveSearchDialogProps {
  open: boolean;
  query: ApiQuery;
  onSaved: (saved: SavedSearch) => void;
  onClose: () => void;
}

export function SaveSearchDialog({ open, query, onSaved, onClose }: SaveSearchDialogProps) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [shared, setShared] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/contacts/saved-searches", {
          body: { name: name.trim(), shared, query },
        }),
      ),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: SAVED_KEY });
      onSaved(saved);
    },
  });
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Dialog open={open} title={t("finder.save.title")} onClose={onClose}>
      <form onSubmit={submit}>
        <Field label={t("finder.saved.name")} error={fieldErrors.name} required>
          {(control) => (
            <input
              {...control}
              required
              maxLength={200}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={shared}
              onChange={(event) => setShared(event.target.checked)}
            />{" "}
            {t("finder.save.shared")}
          </label>
          <p className="field-hint">{t("finder.save.sharedHint")}</p>
        </div>
        {fieldErrors.name ? null : <ProblemAlert error={save.error} />}
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? t("common.saving") : t("common.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
