// Renaming a list, sent with the ETag of the version shown: when someone changed it meanwhile
// (412) the person sees the name it has now and may save theirs over it (the list is loaded
// again, so the next try carries the current version).
import { useI18n } from "../../i18n/i18n";
import { RenameDialog } from "../../ui/RenameDialog";
import { useRenameList, type MailingList } from "./newslettersApi";

interface RenameListDialogProps {
  open: boolean;
  listId: string;
  name: string;
  etag: string;
  onClose: () => void;
}

export function RenameListDialog({ open, listId, name, etag, onClose }: RenameListDialogProps) {
  const { t } = useI18n();
  const rename = useRenameList(listId);
  return (
    <RenameDialog
      open={open}
      title={t("newsletters.list.renameTitle")}
      label={t("newsletters.list.name")}
      name={name}
      etag={etag}
      rename={rename}
      onClose={onClose}
      staleReplacesAlert
      staleSaveLabel={t("newsletters.list.keepMine")}
      staleNotice={(error) => {
        const theirs = error.problem.current as MailingList | null | undefined;
        return (
          <div className="alert alert-warning" role="alert">
            <strong>{t("common.problem.stale")}</strong>
            <p>{t("newsletters.list.stale", { name: theirs?.name ?? name })}</p>
          </div>
        );
      }}
    />
  );
}
