// One family: its name and shared address (edit with If-Match, delete), and its members with
// their role — change a role, remove a member, add a contact with the contact picker.
import { useState } from "react";
import { useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { addressLine } from "../../ui/AddressFields";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import {
  BackLink,
  ConfirmDelete,
  RecordActions,
  RecordNotRead,
  useDeleteRecord,
} from "../../ui/RecordPage";
import { ifMatch } from "../../ui/tagged";
import { FamilyFormDialog } from "./FamilyFormDialog";
import { familyKeys, useFamily } from "./familyApi";
import { FamilyMembers } from "./FamilyMembers";

export default function FamilyPage() {
  const { familyId = "" } = useParams();
  const { t, dateTime, number } = useI18n();
  const { can } = useAuth();
  const family = useFamily(familyId);
  const [editing, setEditing] = useState(false);
  const { remove, asking, ask, stopAsking } = useDeleteRecord({
    request: () =>
      unwrap(
        api.DELETE("/api/v1/contacts/families/{family_id}", {
          params: { path: { family_id: familyId } },
          headers: ifMatch(family.data?.etag),
        }),
      ),
    detailKey: familyKeys.detail(familyId),
    listKey: familyKeys.all,
    listPath: "/families",
  });
  const back = { to: "/families", label: t("families.page.back") };

  if (family.isPending) return <Loading />;
  if (family.isError) {
    return <RecordNotRead title={t("families.page.fallbackTitle")} error={family.error} back={back} />;
  }
  const { data } = family.data;

  return (
    <Page
      title={data.name}
      actions={
        <RecordActions
          mayEdit={can("PATCH", "/contacts/families/{family_id}")}
          mayDelete={can("DELETE", "/contacts/families/{family_id}")}
          onEdit={() => setEditing(true)}
          onDelete={ask}
        />
      }
    >
      <BackLink {...back} />
      <ProblemAlert error={remove.error} />
      <section className="card" aria-labelledby="family-details">
        <h2 id="family-details">{t("families.page.details")}</h2>
        <dl className="details">
          <dt>{t("common.address.legend")}</dt>
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
      <ConfirmDelete
        open={asking}
        title={t("families.delete.title")}
        body={t("families.delete.body", { name: data.name })}
        action={remove}
        onConfirm={() => remove.mutate()}
        onCancel={stopAsking}
      />
    </Page>
  );
}
