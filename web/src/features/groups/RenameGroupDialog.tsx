// Renaming a group, sent with the ETag of the version shown: when someone changed it meanwhile
// (412), the group is loaded again and the person sees its current name before trying again.
import { useI18n } from "../../i18n/i18n";
import { RenameDialog } from "../../ui/RenameDialog";
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
  return (
    <RenameDialog
      open={open}
      title={t("groups.rename.title")}
      label={t("groups.field.name")}
      name={name}
      etag={etag}
      rename={rename}
      onClose={onClose}
      staleNotice={() => (
        <p className="alert alert-warning" role="status">
          {t("groups.rename.stale", { name })}
        </p>
      )}
    />
  );
}
