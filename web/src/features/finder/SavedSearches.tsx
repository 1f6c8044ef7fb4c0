// The useful saved searches (every shared one and the caller's private ones): open one, and,
// for its owner or an admin, rename, share or stop sharing, delete.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog, Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import type { ApiQuery } from "./filterTree";
import { SAVED_KEY, useMayChange, useSavedSearches, type SavedSearch } from "./finderApi";
import { queryToSearch } from "./useFinderUrl";

const ITEM_PATH = "/api/v1/contacts/saved-searches/{search_id}";

interface SavedSearchesProps {
  openId: string | null;
  onDeleted: (id: string) => void;
}

export function SavedSearches({ openId, onDeleted }: SavedSearchesProps) {
  const { t } = useI18n();
  const saved = useSavedSearches();
  const heading = useRef<HTMLHeadingElement>(null);
  const items = saved.data?.items ?? [];
  const deleted = (id: string) => {
    // The deleted search's buttons are gone: the list's heading takes the focus.
    heading.current?.focus();
    onDeleted(id);
  };
  return (
    <section className="card finder-saved" aria-labelledby="finder-saved-title">
      <h2 id="finder-saved-title" ref={heading} tabIndex={-1}>
        {t("finder.saved.title")}
      </h2>
      {saved.isPending ? <Loading /> : null}
      <ProblemAlert error={saved.error} />
      {saved.isSuccess && items.length === 0 ? <p>{t("finder.saved.none")}</p> : null}
      <ul className="finder-saved-list">
        {items.map((item) => (
          <SavedSearchItem
            key={item.id}
            saved={item}
            open={item.id === openId}
            onDeleted={deleted}
          />
        ))}
      </ul>
    </section>
  );
}

function SavedSearchItem(props: { saved: SavedSearch; open: boolean; onDeleted: (id: string) => void }) {
  const { saved } = props;
  const { t } = useI18n();
  const { me } = useAuth();
  const mayChange = useMayChange()(saved);
  const queryClient = useQueryClient();
  const [renaming, setRenaming] = useState(false);
  // A fresh dialog for each rename, kept mounted while it closes so focus returns.
  const [renameRound, setRenameRound] = useState(0);
  const [deleting, setDeleting] = useState(false);
  const path = { search_id: saved.id };

  const share = useMutation({
    mutationFn: (shared: boolean) =>
      unwrap(api.PATCH(ITEM_PATH, { params: { path }, body: { shared } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SAVED_KEY }),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE(ITEM_PATH, { params: { path } })),
    onSuccess: async () => {
      setDeleting(false);
      props.onDeleted(saved.id);
      await queryClient.invalidateQueries({ queryKey: SAVED_KEY });
    },
  });
  const href = `/search?${queryToSearch(saved.query as ApiQuery, saved.id).toString()}`;

  return (
    <li className={props.open ? "finder-saved-item finder-saved-open" : "finder-saved-item"}>
      <div className="finder-saved-head">
        <Link to={href} aria-current={props.open ? "true" : undefined}>
          {saved.name}
        </Link>
        <span className={saved.shared ? "badge badge-ok" : "badge"}>
          {saved.shared ? t("finder.saved.shared") : t("finder.saved.private")}
        </span>
        {saved.owner === me?.user_id ? (
          <span className="finder-muted">{t("finder.saved.mine")}</span>
        ) : null}
      </div>
      {mayChange ? (
        <div className="finder-buttons" role="group" aria-label={t("finder.saved.actions", { name: saved.name })}>
          <button
            type="button"
            className="btn btn-link"
            onClick={() => {
              setRenameRound((n) => n + 1);
              setRenaming(true);
            }}
          >
            {t("finder.saved.rename")}
          </button>
          <button
            type="button"
            className="btn btn-link"
            disabled={share.isPending}
            onClick={() => share.mutate(!saved.shared)}
          >
            {saved.shared ? t("finder.saved.unshare") : t("finder.saved.share")}
          </button>
          <button type="button" className="btn btn-link" onClick={() => setDeleting(true)}>
            {t("common.delete")}
          </button>
        </div>
      ) : null}
      <ProblemAlert error={share.error} />
      {renameRound ? (
        <RenameDialog
          key={renameRound}
          open={renaming}
          saved={saved}
          onClose={() => setRenaming(false)}
        />
      ) : null}
      <ConfirmDialog
        open={deleting}
        title={t("finder.saved.deleteTitle")}
        message={
          <>
            <p>{t("finder.saved.deleteQuestion", { name: saved.name })}</p>
            <ProblemAlert error={remove.error} />
          </>
        }
        confirmLabel={t("common.delete")}
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={() => {
          remove.reset();
          setDeleting(false);
        }}
      />
    </li>
  );
}

function RenameDialog(props: { open: boolean; saved: SavedSearch; onClose: () => void }) {
  const { saved, onClose } = props;
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState(saved.name);
  const rename = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH(ITEM_PATH, { params: { path: { search_id: saved.id } }, body: { name: name.trim() } }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: SAVED_KEY });
      onClose();
    },
  });
  const fieldErrors = rename.error instanceof ApiError ? rename.error.fieldErrors() : {};
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate();
  };
  return (
    <Dialog
      open={props.open}
      title={t("finder.saved.renameTitle", { name: saved.name })}
      onClose={onClose}
    >
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
        {fieldErrors.name ? null : <ProblemAlert error={rename.error} />}
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" disabled={rename.isPending}>
            {rename.isPending ? t("common.saving") : t("common.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
