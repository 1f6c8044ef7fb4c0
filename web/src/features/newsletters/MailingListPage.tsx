// /mailing-lists/:listId — one mailing list: its name (rename and delete with If-Match), the
// group it follows (shown, changed or unlinked) and its subscribers (paged), with manual
// subscriptions and opt-outs recorded for a contact.
import { useState } from "react";
import { useNavigate, useParams } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { GroupLinkCard } from "./GroupLinkCard";
import { RenameListDialog } from "./RenameListDialog";
import { SubscribersCard } from "./SubscribersCard";
import { useDeleteList, useMailingList, type MailingList } from "./newslettersApi";
import "./newsletters.css";

export default function MailingListPage() {
  const { listId = "" } = useParams();
  const { t } = useI18n();
  const query = useMailingList(listId);
  if (query.isPending) {
    return (
      <Page title={t("newsletters.lists.title")}>
        <Loading />
      </Page>
    );
  }
  if (!query.data) {
    return (
      <Page title={t("newsletters.lists.title")}>
        <ProblemAlert error={query.error} />
      </Page>
    );
  }
  return <ListView key={query.data.list.id} list={query.data.list} etag={query.data.etag} />;
}

function ListView({ list, etag }: { list: MailingList; etag: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteList(list.id);

  return (
    <Page
      title={list.name}
      actions={
        <>
          {can("PATCH", "/newsletters/lists/{list_id}") ? (
            <button type="button" className="btn" onClick={() => setRenaming(true)}>
              {t("newsletters.list.rename")}
            </button>
          ) : null}
          {can("DELETE", "/newsletters/lists/{list_id}") ? (
            <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)}>
              {t("newsletters.list.delete")}
            </button>
          ) : null}
        </>
      }
    >
      <GroupLinkCard list={list} />
      <SubscribersCard list={list} />
      <RenameListDialog
        open={renaming}
        listId={list.id}
        name={list.name}
        etag={etag}
        onClose={() => setRenaming(false)}
      />
      <ConfirmDialog
        open={deleting}
        title={t("newsletters.list.deleteTitle", { name: list.name })}
        message={
          <>
            <p>{t("newsletters.list.deleteBody")}</p>
            <ProblemAlert error={remove.error} />
          </>
        }
        confirmLabel={t("newsletters.list.delete")}
        danger
        busy={remove.isPending}
        onCancel={() => {
          remove.reset();
          setDeleting(false);
        }}
        onConfirm={() =>
          remove.mutate(etag, { onSuccess: () => void navigate("/mailing-lists", { replace: true }) })
        }
      />
    </Page>
  );
}
