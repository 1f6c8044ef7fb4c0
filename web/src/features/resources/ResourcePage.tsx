// One resource: what and where it is (edit, delete), its QR code (printable on its own: the
// print stylesheet hides the app's frame and everything but the name and the code) and its
// allocations.
import { useState } from "react";
import { useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Loading, Page } from "../../ui/Page";
import {
  BackLink,
  ConfirmDelete,
  RecordActions,
  RecordNotRead,
  useDeleteRecord,
} from "../../ui/RecordPage";
import { ResourceAllocations } from "./ResourceAllocations";
import { ResourceFormDialog } from "./ResourceFormDialog";
import { ResourceQr } from "./ResourceQr";
import { resourceKeys, useResource, type Resource } from "./resourceApi";
import "./resources.css";

export default function ResourcePage() {
  const { resourceId = "" } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const resource = useResource(resourceId);
  const [editing, setEditing] = useState(false);
  const { remove, asking, ask, stopAsking } = useDeleteRecord({
    request: () =>
      unwrap(
        api.DELETE("/api/v1/contacts/resources/{resource_id}", {
          params: { path: { resource_id: resourceId } },
        }),
      ),
    detailKey: resourceKeys.detail(resourceId),
    listKey: resourceKeys.all,
    listPath: "/resources",
  });
  const back = { to: "/resources", label: t("resources.page.back") };

  if (resource.isPending) return <Loading />;
  if (resource.isError) {
    return <RecordNotRead title={t("resources.page.fallbackTitle")} error={resource.error} back={back} />;
  }
  const data = resource.data;

  return (
    <div className="resource-printable">
      <Page
        title={data.name}
        actions={
          <RecordActions
            mayEdit={can("PATCH", "/contacts/resources/{resource_id}")}
            mayDelete={can("DELETE", "/contacts/resources/{resource_id}")}
            onEdit={() => setEditing(true)}
            onDelete={ask}
          />
        }
      >
        <BackLink {...back} className="no-print" />
        <div className="resource-top">
          <ResourceDetails resource={data} />
          <ResourceQr resource={data} />
        </div>
        <ResourceAllocations resource={data} />
        <ResourceFormDialog
          open={editing}
          resource={data}
          onClose={() => setEditing(false)}
          onSaved={() => setEditing(false)}
        />
        <ConfirmDelete
          open={asking}
          title={t("resources.delete.title")}
          body={t("resources.delete.body", { name: data.name })}
          action={remove}
          onConfirm={() => remove.mutate()}
          onCancel={stopAsking}
        />
      </Page>
    </div>
  );
}

function ResourceDetails({ resource }: { resource: Resource }) {
  const { t, dateTime } = useI18n();
  return (
    <section className="card no-print" aria-labelledby="resource-details">
      <h2 id="resource-details">{t("resources.page.details")}</h2>
      <dl className="details">
        <dt>{t("resources.field.kind")}</dt>
        <dd>{t(`resources.kind.${resource.kind as "other"}`)}</dd>
        <dt>{t("resources.field.code")}</dt>
        <dd>{resource.code ?? "—"}</dd>
        <dt>{t("resources.field.location")}</dt>
        <dd>{resource.location ?? "—"}</dd>
        <dt>{t("resources.field.notes")}</dt>
        <dd className="notes">{resource.notes || "—"}</dd>
        <dt>{t("resources.field.updated")}</dt>
        <dd>{dateTime(resource.updated_at)}</dd>
      </dl>
    </section>
  );
}
