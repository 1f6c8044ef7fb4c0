// /mailing-lists — the club's mailing lists by name with the group each follows, paged on the
// server, and creating one (a list named like a group follows that group by itself).
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
import { useCreateList, useListPage, type MailingList } from "./newslettersApi";
import "./newsletters.css";

export default function MailingListsPage() {
  const { t, date } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const params = useListParams();
  const lists = useListPage(params.offset, params.pageSize);
  const [creating, setCreating] = useState(false);

  const columns: ColumnDef<MailingList, unknown>[] = [
    {
      id: "name",
      header: t("newsletters.list.name"),
      cell: ({ row }) => <Link to={`/mailing-lists/${row.original.id}`}>{row.original.name}</Link>,
    },
    {
      id: "group",
      header: t("newsletters.list.group"),
      cell: ({ row }) => row.original.group_name ?? <span className="nl-muted">{t("newsletters.list.noGroup")}</span>,
    },
    {
      id: "created_at",
      header: t("newsletters.list.created"),
      cell: ({ row }) => date(row.original.created_at),
    },
  ];

  return (
    <Page
      title={t("newsletters.lists.title")}
      actions={
        can("POST", "/newsletters/lists") ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t("newsletters.lists.create")}
          </button>
        ) : null
      }
    >
      <p className="nl-intro">{t("newsletters.lists.intro")}</p>
      <ProblemAlert error={lists.error} />
      <DataTable
        columns={columns}
        rows={lists.data?.items ?? []}
        total={lists.data?.total ?? 0}
        params={params}
        caption={t("newsletters.lists.title")}
        busy={lists.isFetching}
      />
      <CreateListDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(list) => void navigate(`/mailing-lists/${list.id}`)}
      />
    </Page>
  );
}

function CreateListDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (list: MailingList) => void;
}) {
  const { t } = useI18n();
  const create = useCreateList();
  const [name, setName] = useState("");
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  const close = () => {
    setName("");
    create.reset();
    props.onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), {
      onSuccess: (list) => {
        close();
        props.onCreated(list);
      },
    });
  };

  return (
    <Dialog open={props.open} title={t("newsletters.lists.create")} onClose={close}>
      <form onSubmit={submit} noValidate>
        {create.error && !errors.name ? <ProblemAlert error={create.error} /> : null}
        <Field
          label={t("newsletters.list.name")}
          hint={t("newsletters.lists.nameHint")}
          error={errors.name}
          required
        >
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
          <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim()}>
            {create.isPending ? t("common.saving") : t("newsletters.lists.createSubmit")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
