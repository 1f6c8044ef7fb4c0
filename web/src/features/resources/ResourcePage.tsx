// One resource: what and where it is (edit, delete), its QR code (printable on its own: the
// print stylesheet hides the app's frame and everything but the name and the code) and its
// allocations.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { ResourceAllocations } from "./ResourceAllocations";
import { ResourceFormDialog } from "./ResourceFormDialog";
import { ResourceQr } from "./ResourceQr";
import { resourceKeys, useResource, type Resource } from "./resourceApi";
import "../families/families.css";
import "../companies/companies.css";
import "./resources.css";

export default function ResourcePage() {
  const { resourceId = "" } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const resource = useResource(resourceId);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/contacts/resources/{resource_id}", {
          params: { path: { resource_id: resourceId } },
        }),
      ),
    onSuccess: async () => {
      setDeleting(false);
      queryClient.removeQueries({ queryKey: resourceKeys.detail(resourceId) });
      await queryClient.invalidateQueries({ queryKey: resourceKeys.all });
      void navigate("/resources");
    },
  });

  if (resource.isPending) return <Loading />;
  if (resource.isError) {
    return (
      <Page title={t("resources.page.fallbackTitle")}>
        <ProblemAlert error={resource.error} />
        <Link to="/resources">{t("resources.page.back")}</Link>
      </Page>
    );
  }
  const data = resource.data;

  return (
    <div className="resource-printable">
      <Page
        title={data.name}
        actions={
          <>
            {can("PATCH", "/contacts/resources/{resource_id}") ? (
              <button type="button" className="btn" onClick={() => setEditing(true)}>
                {t("common.edit")}
              </button>
            ) : null}
            {can("DELETE", "/contacts/resources/{resource_id}") ? (
              <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)}>
                {t("common.delete")}
              </button>
            ) : null}
          </>
        }
      >
        <p className="back-link no-print">
          <Link to="/resources">{t("resources.page.back")}</Link>
        </p>
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
        <ConfirmDialog
          open={deleting}
          danger
          title={t("resources.delete.title")}
          message={
            <>
              <p>{t("resources.delete.body", { name: data.name })}</p>
              <ProblemAlert error={remove.error} />
            </>
          }
          confirmLabel={t("common.delete")}
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => {
            setDeleting(false);
            remove.reset();
          }}
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
