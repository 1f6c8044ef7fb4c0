// /admin/users — the logins (paged, by e-mail): create one, change its roles, deactivate or
// reactivate it, unlock it after failed logins, give it a new password.
import type { ColumnDef } from "@tanstack/react-table";
import { useState } from "react";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { DataTable } from "../../ui/DataTable";
import { ConfirmDialog } from "../../ui/Dialog";
import { Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import {
  STAFF_ROLES,
  isLocked,
  useUpdateUser,
  useUserList,
  type Role,
  type User,
} from "./adminApi";
import { useAdminLabels } from "./labels";
import { ContactNameText } from "./RoleFields";
import { CreateUserDialog, EditAccessDialog, ResetPasswordDialog } from "./UserDialogs";
import "./admin.css";

const ROLE_ORDER: Role[] = [...STAFF_ROLES, "member"];

type Dialogs =
  | { kind: "none" }
  | { kind: "create" }
  | { kind: "edit" | "reset" | "deactivate"; user: User };

export default function UsersPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const params = useListParams();
  const users = useUserList(params.offset, params.pageSize);
  const update = useUpdateUser();
  const [dialog, setDialog] = useState<Dialogs>({ kind: "none" });
  const [done, setDone] = useState("");
  const close = () => setDialog({ kind: "none" });
  const userOf = (kind: "edit" | "reset" | "deactivate") =>
    dialog.kind === kind ? dialog.user : null;

  const change = (user: User, what: "unlock" | "reactivate" | "deactivate") => {
    setDone("");
    const body = what === "unlock" ? { unlock: true } : { active: what === "reactivate" };
    update.mutate(
      { userId: user.id, change: body },
      {
        onSuccess: () => {
          close();
          setDone(t(`admin.done.${what}`, { email: user.email }));
        },
      },
    );
  };

  const columns = useUserColumns({
    onEdit: (user) => setDialog({ kind: "edit", user }),
    onReset: (user) => setDialog({ kind: "reset", user }),
    onDeactivate: (user) => {
      update.reset();
      setDialog({ kind: "deactivate", user });
    },
    onReactivate: (user) => change(user, "reactivate"),
    onUnlock: (user) => change(user, "unlock"),
    busy: update.isPending,
    rows: users.data?.items ?? [],
  });
  const deactivating = userOf("deactivate");

  return (
    <Page
      title={t("admin.users.title")}
      actions={
        can("POST", "/users") ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setDone("");
              setDialog({ kind: "create" });
            }}
          >
            {t("admin.users.create")}
          </button>
        ) : null
      }
    >
      <p className="admin-intro">{t("admin.users.intro")}</p>
      {done ? (
        <p className="alert alert-success" role="status">
          {done}
        </p>
      ) : null}
      {dialog.kind !== "deactivate" ? <ProblemAlert error={update.error} /> : null}
      <ProblemAlert error={users.error} />
      <DataTable
        columns={columns}
        rows={users.data?.items ?? []}
        total={users.data?.total ?? 0}
        params={params}
        caption={t("admin.users.title")}
        busy={users.isFetching}
      />
      <CreateUserDialog
        open={dialog.kind === "create"}
        onClose={close}
        onCreated={(user) => {
          close();
          setDone(t("admin.done.create", { email: user.email }));
        }}
      />
      <EditAccessDialog user={userOf("edit")} onClose={close} />
      <ResetPasswordDialog
        user={userOf("reset")}
        onClose={close}
        onDone={(user) => {
          close();
          setDone(t("admin.done.reset", { email: user.email }));
        }}
      />
      <ConfirmDialog
        open={deactivating !== null}
        title={t("admin.deactivate.title")}
        message={
          <>
            <p>{t("admin.deactivate.body", { email: deactivating?.email ?? "" })}</p>
            <ProblemAlert error={update.error} />
          </>
        }
        confirmLabel={t("admin.deactivate.confirm")}
        danger
        busy={update.isPending}
        onConfirm={() => deactivating && change(deactivating, "deactivate")}
        onCancel={close}
      />
    </Page>
  );
}

interface RowActions {
  onEdit: (user: User) => void;
  onReset: (user: User) => void;
  onDeactivate: (user: User) => void;
  onReactivate: (user: User) => void;
  onUnlock: (user: User) => void;
  busy: boolean;
  rows: User[];
}

function useUserColumns(actions: RowActions): ColumnDef<User, unknown>[] {
  const { t, dateTime, date } = useI18n();
  const { me, can } = useAuth();
  const labels = useAdminLabels();
  const mayChange = can("PATCH", "/users/{user_id}");
  const mayReset = can("PUT", "/users/{user_id}/password");
  const columns: (ColumnDef<User, unknown> | null)[] = [
    {
      id: "email",
      header: t("admin.user.email"),
      cell: ({ row }) => (
        <>
          <span className="admin-email">{row.original.email}</span>
          {row.original.id === me?.user_id ? (
            <span className="badge admin-after">{t("admin.user.you")}</span>
          ) : null}
        </>
      ),
    },
    {
      id: "roles",
      header: t("admin.user.roles"),
      // In the order the form offers them, not the gateway's alphabetical one.
      cell: ({ row }) =>
        [...row.original.roles]
          .sort((a, b) => ROLE_ORDER.indexOf(a) - ROLE_ORDER.indexOf(b))
          .map(labels.role)
          .join(", "),
    },
    {
      id: "state",
      header: t("admin.user.state"),
      cell: ({ row }) => <UserState user={row.original} />,
    },
    {
      id: "contact",
      header: t("admin.user.contact"),
      cell: ({ row }) =>
        row.original.contact_id ? (
          <Link to={`/contacts/${row.original.contact_id}`}>
            <ContactNameText contactId={row.original.contact_id} />
          </Link>
        ) : (
          "—"
        ),
    },
    // The gateway does not say (yet) when a login was last used; shown once it does.
    actions.rows.some((user) => user.last_login_at)
      ? {
          id: "last_login",
          header: t("admin.user.lastLogin"),
          cell: ({ row }) => dateTime(row.original.last_login_at) || "—",
        }
      : null,
    {
      id: "created",
      header: t("admin.user.created"),
      cell: ({ row }) => <span className="admin-nowrap">{date(row.original.created_at)}</span>,
    },
    mayChange || mayReset
      ? {
          id: "actions",
          header: t("admin.user.actions"),
          cell: ({ row }) => {
            const user = row.original;
            const self = user.id === me?.user_id;
            const named = <span className="visually-hidden"> {user.email}</span>;
            return (
              <div className="admin-actions">
                {mayChange ? (
                  <button type="button" className="btn" onClick={() => actions.onEdit(user)}>
                    {t("admin.users.editRoles")}
                    {named}
                  </button>
                ) : null}
                {mayReset ? (
                  <button type="button" className="btn" onClick={() => actions.onReset(user)}>
                    {t("admin.users.resetPassword")}
                    {named}
                  </button>
                ) : null}
                {mayChange && isLocked(user) ? (
                  <button
                    type="button"
                    className="btn"
                    disabled={actions.busy}
                    onClick={() => actions.onUnlock(user)}
                  >
                    {t("admin.users.unlock")}
                    {named}
                  </button>
                ) : null}
                {mayChange && !self && user.active ? (
                  <button
                    type="button"
                    className="btn btn-danger"
                    onClick={() => actions.onDeactivate(user)}
                  >
                    {t("admin.users.deactivate")}
                    {named}
                  </button>
                ) : null}
                {mayChange && !user.active ? (
                  <button
                    type="button"
                    className="btn"
                    disabled={actions.busy}
                    onClick={() => actions.onReactivate(user)}
                  >
                    {t("admin.users.reactivate")}
                    {named}
                  </button>
                ) : null}
              </div>
            );
          },
        }
      : null,
  ];
  return columns.filter((column) => column !== null);
}

function UserState({ user }: { user: User }) {
  const { t, dateTime } = useI18n();
  return (
    <span className="admin-badges">
      {user.active ? (
        <span className="badge badge-ok">{t("admin.user.active")}</span>
      ) : (
        <span className="badge">{t("admin.user.inactive")}</span>
      )}
      {isLocked(user) ? (
        <span className="badge badge-danger">
          {t("admin.user.lockedUntil", { time: dateTime(user.locked_until) })}
        </span>
      ) : null}
    </span>
  );
}
