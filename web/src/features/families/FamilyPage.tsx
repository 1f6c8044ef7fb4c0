// One family: its name and shared address (edit with If-Match, delete), and its members with
// their role — change a role, remove a member, add a contact with the contact picker.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { addressLine } from "./AddressFields";
import { FamilyFormDialog } from "./FamilyFormDialog";
import { familyKeys, useFamily } from "./familyApi";
import { FamilyMembers } from "./FamilyMembers";
import { ifMatch } from "./tagged";
import "./families.css";

export default function FamilyPage() {
  const { familyId = "" } = useParams();
  const { t, dateTime, number } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const family = useFamily(familyId);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/contacts/families/{family_id}", {
          params: { path: { family_id: familyId } },
          headers: ifMatch(family.data?.etag),
        }),
      ),
    onSuccess: async () => {
      setDeleting(false);
      queryClient.removeQueries({ queryKey: familyKeys.detail(familyId) });
      await queryClient.invalidateQueries({ queryKey: familyKeys.all });
      void navigate("/families");
    },
  });

  if (family.isPending) return <Loading />;
  if (family.isError) {
    return (
      <Page title={t("families.page.fallbackTitle")}>
        <ProblemAlert error={family.error} />
        <Link to="/families">{t("families.page.back")}</Link>
      </Page>
    );
  }
  const { data } = family.data;

  return (
    <Page
      title={data.name}
      actions={
        <>
          {can("PATCH", "/contacts/families/{family_id}") ? (
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              {t("common.edit")}
            </button>
          ) : null}
          {can("DELETE", "/contacts/families/{family_id}") ? (
            <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)}>
              {t("common.delete")}
            </button>
          ) : null}
        </>
      }
    >
      <p className="back-link">
        <Link to="/families">{t("families.page.back")}</Link>
      </p>
      <ProblemAlert error={remove.error} />
      <section className="card" aria-labelledby="family-details">
        <h2 id="family-details">{t("families.page.details")}</h2>
        <dl className="details">
          <dt>{t("families.address.legend")}</dt>
          <dd>{addressLine(data.address) || "—"}</dd>
          <dt>{t("families.field.members")}</dt>
          <dd>{number(data.members.length)}</dd>
          <dt>{t("families.field.updated")}</dt>
          <dd>{dateTime(data.updated_at)}</dd>
        </dl>
      </section>
      <FamilyMembers family={data} />
      <FamilyFormDialog
        open={editing}
        family={family.data}
        onClose={() => setEditing(false)}
        onSaved={() => setEditing(false)}
      />
      <ConfirmDialog
        open={deleting}
        danger
        title={t("families.delete.title")}
        message={
          <>
            <p>{t("families.delete.body", { name: data.name })}</p>
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
  );
}
