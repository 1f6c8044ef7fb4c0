// A group's members, paged on the server (page and size in the URL), with adding one through
// the contact picker and removing one, each when the role may.
import type { ColumnDef } from "@tanstack/react-table";
import { useState } from "react";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName } from "../../ui/ContactPicker";
import { DataTable } from "../../ui/DataTable";
import { ProblemAlert } from "../../ui/Problem";
import { useListParams } from "../../ui/useListParams";
import { useGroupMembers, useMembershipChange, type GroupMember } from "./groupApi";

const MEMBER_ROUTE = "/contacts/groups/{group_id}/members/{contact_id}";

export function GroupMembers({ groupId, groupName }: { groupId: string; groupName: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const params = useListParams();
  const members = useGroupMembers(groupId, params.offset, params.pageSize);
  const change = useMembershipChange();
  const [done, setDone] = useState("");
  const mayRemove = can("DELETE", MEMBER_ROUTE);

  const apply = (member: { id: string; first_name: string; last_name: string }, kind: "add" | "remove") =>
    change.mutate(
      { groupId, contactId: member.id, change: kind },
      {
        onSuccess: () =>
          setDone(
            t(kind === "add" ? "groups.members.added" : "groups.members.removed", {
              name: contactName(member),
              group: groupName,
            }),
          ),
      },
    );

  const columns: ColumnDef<GroupMember, unknown>[] = [
    {
      id: "name",
      header: t("groups.members.name"),
      cell: ({ row }) => <Link to={`/contacts/${row.original.id}`}>{contactName(row.original)}</Link>,
    },
    {
      id: "place",
      header: t("groups.members.place"),
      cell: ({ row }) => [row.original.postcode, row.original.city].filter(Boolean).join(" ") || "—",
    },
    {
      id: "membership",
      header: t("groups.members.membership"),
      cell: ({ row }) =>
        row.original.membership.status === "member" ? (
          <span className="badge badge-ok">{t("groups.members.member")}</span>
        ) : (
          <span className="badge">{t("groups.members.nonMember")}</span>
        ),
    },
  ];
  if (mayRemove) {
    columns.push({
      id: "actions",
      header: () => <span className="visually-hidden">{t("groups.members.actions")}</span>,
      cell: ({ row }) => (
        <button
          type="button"
          className="btn"
          disabled={change.isPending}
          onClick={() => apply(row.original, "remove")}
        >
          {t("common.remove")}{" "}
          <span className="visually-hidden">
            {t("groups.members.removeOne", { name: contactName(row.original) })}
          </span>
        </button>
      ),
    });
  }

  const shown = new Set(members.data?.items.map((member) => member.id) ?? []);
  return (
    <section className="card" aria-labelledby="group-members-heading">
      <h2 id="group-members-heading">{t("groups.members.heading")}</h2>
      {can("PUT", MEMBER_ROUTE) ? (
        <div className="group-add">
          <ContactPicker
            label={t("groups.members.add")}
            exclude={shown}
            onPick={(contact) => apply(contact, "add")}
          />
        </div>
      ) : null}
      <p role="status" className="group-done">
        {done}
      </p>
      <ProblemAlert error={change.error} />
      <ProblemAlert error={members.error} />
      <DataTable
        columns={columns}
        rows={members.data?.items ?? []}
        total={members.data?.total ?? 0}
        params={params}
        caption={t("groups.members.heading")}
        busy={members.isFetching}
      />
    </section>
  );
}
