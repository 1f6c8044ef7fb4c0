// /groups — every group by name, paged on the server, and creating one.
import type { ColumnDef } from "@tanstack/react-table";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { Dialog } from "../../ui/Dialog";
import { Field } from "../../ui/Field";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { useCreateGroup, useGroupList, type Group } from "./groupApi";
import "./groups.css";

export default function GroupListPage() {
  const { t, dateTime } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const params = useListParams();
  const groups = useGroupList(params.offset, params.pageSize);
  const [creating, setCreating] = useState(false);

  const columns: ColumnDef<Group, unknown>[] = [
    {
      id: "name",
      header: t("groups.list.name"),
      cell: ({ row }) => <Link to={`/groups/${row.original.id}`}>{row.original.name}</Link>,
    },
    {
      id: "updated_at",
      header: t("groups.list.updated"),
      cell: ({ row }) => dateTime(row.original.updated_at),
    },
  ];

  return (
    <Page
      title={t("groups.list.title")}
      actions={
        can("POST", "/contacts/groups") ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t("groups.create.open")}
          </button>
        ) : null
      }
    >
      <ProblemAlert error={groups.error} />
      <DataTable
        columns={columns}
        rows={groups.data?.items ?? []}
        total={groups.data?.total ?? 0}
        params={params}
        caption={t("groups.list.title")}
        busy={groups.isFetching}
      />
      <CreateGroupDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(group) => void navigate(`/groups/${group.id}`)}
      />
    </Page>
  );
}

interface CreateGroupDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (group: Group) => void;
}

function CreateGroupDialog({ open, onClose, onCreated }: CreateGroupDialogProps) {
  const { t } = useI18n();
  const create = useCreateGroup();
  const [name, setName] = useState("");
  const fieldErrors = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const close = () => {
    setName("");
    create.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), { onSuccess: onCreated });
  };
  return (
    <Dialog open={open} title={t("groups.create.title")} onClose={close}>
      <form onSubmit={submit} noValidate>
        {create.error && !fieldErrors.name ? <ProblemAlert error={create.error} /> : null}
        <Field label={t("groups.field.name")} error={fieldErrors.name} required>
          {(control) => (
            <input
              {...control}
              value={name}
              maxLength={200}
              autoComplete="off"
              onChange={(event) => setName(event.target.value)}
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
            disabled={create.isPending || !name.trim()}
          >
            {create.isPending ? t("common.saving") : t("groups.create.submit")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
