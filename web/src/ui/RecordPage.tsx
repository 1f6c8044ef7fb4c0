// The frame of one record's page (a family, a company, a resource): edit and delete in the
// page's actions when allowed, the link back to the list, the page when the record cannot be
// read, and deleting it (confirmed) which returns to the list.
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Link, useNavigate } from "react-router";

import { useI18n } from "../i18n/i18n";
import { ConfirmDialog } from "./Dialog";
import { Page } from "./Page";
import { ProblemAlert } from "./Problem";
import "./records.css";

interface RecordActionsProps {
  mayEdit: boolean;
  mayDelete: boolean;
  onEdit: () => void;
  onDelete: () => void;
}

export function RecordActions({ mayEdit, mayDelete, onEdit, onDelete }: RecordActionsProps) {
  const { t } = useI18n();
  return (
    <>
      {mayEdit ? (
        <button type="button" className="btn" onClick={onEdit}>
          {t("common.edit")}
        </button>
      ) : null}
      {mayDelete ? (
        <button type="button" className="btn btn-danger" onClick={onDelete}>
          {t("common.delete")}
        </button>
      ) : null}
    </>
  );
}

export function BackLink({ to, label, className }: { to: string; label: string; className?: string }) {
  return (
    <p className={className ? `back-link ${className}` : "back-link"}>
      <Link to={to}>{label}</Link>
    </p>
  );
}

interface RecordNotReadProps {
  title: string;
  error: unknown;
  back: { to: string; label: string };
}

export function RecordNotRead({ title, error, back }: RecordNotReadProps) {
  return (
    <Page title={title}>
      <ProblemAlert error={error} />
      <Link to={back.to}>{back.label}</Link>
    </Page>
  );
}

interface DeleteRecordOptions {
  request: () => Promise<unknown>;
  detailKey: QueryKey;
  listKey: QueryKey;
  /** Where to go once it is gone. */
  listPath: string;
}

/** Deleting the record: asked first, then its cached copy dropped, the lists refreshed. */
export function useDeleteRecord({ request, detailKey, listKey, listPath }: DeleteRecordOptions) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: request,
    onSuccess: async () => {
      setAsking(false);
      queryClient.removeQueries({ queryKey: detailKey });
      await queryClient.invalidateQueries({ queryKey: listKey });
      void navigate(listPath);
    },
  });
  return { remove, asking, ask: () => setAsking(true), stopAsking: () => setAsking(false) };
}

interface ConfirmDeleteProps {
  open: boolean;
  title: string;
  body: ReactNode;
  /** The delete's state: its error shown in the dialog, reset when the dialog is cancelled. */
  action: { error: unknown; isPending: boolean; reset: () => void };
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDelete({ open, title, body, action, onConfirm, onCancel }: ConfirmDeleteProps) {
  const { t } = useI18n();
  return (
    <ConfirmDialog
      open={open}
      danger
      title={title}
      message={
        <>
          <p>{body}</p>
          <ProblemAlert error={action.error} />
        </>
      }
      confirmLabel={t("common.delete")}
      busy={action.isPending}
      onConfirm={onConfirm}
      onCancel={() => {
        onCancel();
        action.reset();
      }}
    />
  );
}
