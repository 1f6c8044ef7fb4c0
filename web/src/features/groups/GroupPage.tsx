// /groups/:groupId — one group: rename and delete (with the ETag as If-Match), its members
// (paged) with adding and removing, and the access rights it grants.
import { useState } from "react";
import { useNavigate, useParams } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { GroupMembers } from "./GroupMembers";
import { GroupRightsPanel } from "../memberships/GroupRightsPanel";
import { RenameGroupDialog } from "./RenameGroupDialog";
import { useDeleteGroup, useGroup } from "./groupApi";
import "./groups.css";

export default function GroupPage() {
  const { t } = useI18n();
  const { groupId = "" } = useParams();
  const group = useGroup(groupId);
  if (group.data) return <GroupView groupId={groupId} name={group.data.group.name} etag={group.data.etag} />;
  if (group.isPending) return <Loading />;
  return (
    <Page title={t("groups.page.title")}>
      <ProblemAlert error={group.error} />
    </Page>
  );
}

function GroupView({ groupId, name, etag }: { groupId: string; name: string; etag: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState<"rename" | "delete" | null>(null);
  const remove = useDeleteGroup(groupId);

  const close = () => {
    setOpen(null);
    remove.reset();
  };

  return (
    <Page
      title={name}
      actions={
        <>
          {can("PATCH", "/contacts/groups/{group_id}") ? (
            <button type="button" className="btn" onClick={() => setOpen("rename")}>
              {t("groups.rename.open")}
            </button>
          ) : null}
          {can("DELETE", "/contacts/groups/{group_id}") ? (
            <button type="button" className="btn btn-danger" onClick={() => setOpen("delete")}>
              {t("groups.delete.open")}
            </button>
          ) : null}
        </>
      }
    >
      <div className="group-page">
        <p className="group-kind">{t("groups.page.kind")}</p>
        <GroupMembers groupId={groupId} groupName={name} />
        {can("GET", "/memberships/groups/{group_id}/rights") ? (
          <GroupRightsPanel groupId={groupId} />
        ) : null}
      </div>
      <RenameGroupDialog
        open={open === "rename"}
        groupId={groupId}
        name={name}
        etag={etag}
        onClose={() => setOpen(null)}
      />
      <ConfirmDialog
        open={open === "delete"}
        title={t("groups.delete.title")}
        message={
          <>
            <p>{t("groups.delete.body", { name })}</p>
            {remove.error ? (
              <>
                <ProblemAlert error={remove.error} />
                <p>{t("groups.reloaded")}</p>
              </>
            ) : null}
          </>
        }
        confirmLabel={t("groups.delete.confirm")}
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate(etag, { onSuccess: () => void navigate("/groups") })}
        onCancel={close}
      />
    </Page>
  );
}
