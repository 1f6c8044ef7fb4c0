// One company: its details (edit with If-Match, delete), its logo, its contracts and the
// contacts linked to it with their function.
import { useState } from "react";
import { useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { addressLine } from "../../ui/AddressFields";
import { Loading, Page } from "../../ui/Page";
import {
  BackLink,
  ConfirmDelete,
  RecordActions,
  RecordNotRead,
  useDeleteRecord,
} from "../../ui/RecordPage";
import { ifMatch } from "../../ui/tagged";
import { CompanyContacts } from "./CompanyContacts";
import { CompanyContracts } from "./CompanyContracts";
import { CompanyFormDialog } from "./CompanyFormDialog";
import { CompanyLogo } from "./CompanyLogo";
import { companyKeys, useCompany, type Company } from "./companyApi";
import "./companies.css";

export default function CompanyPage() {
  const { companyId = "" } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const company = useCompany(companyId);
  const [editing, setEditing] = useState(false);
  const { remove, asking, ask, stopAsking } = useDeleteRecord({
    request: () =>
      unwrap(
        api.DELETE("/api/v1/contacts/companies/{company_id}", {
          params: { path: { company_id: companyId } },
          headers: ifMatch(company.data?.etag),
        }),
      ),
    detailKey: companyKeys.detail(companyId),
    listKey: companyKeys.all,
    listPath: "/companies",
  });
  const back = { to: "/companies", label: t("companies.page.back") };

  if (company.isPending) return <Loading />;
  if (company.isError) {
    return <RecordNotRead title={t("companies.page.fallbackTitle")} error={company.error} back={back} />;
  }
  const { data } = company.data;

  return (
    <Page
      title={data.name}
      actions={
        <RecordActions
          mayEdit={can("PATCH", "/contacts/companies/{company_id}")}
          mayDelete={can("DELETE", "/contacts/companies/{company_id}")}
          onEdit={() => setEditing(true)}
          onDelete={ask}
        />
      }
    >
      <BackLink {...back} />
      <div className="company-top">
        <CompanyDetails company={data} />
        <CompanyLogo company={data} />
      </div>
      <CompanyContracts company={data} />
      <CompanyContacts company={data} />
      <CompanyFormDialog
        open={editing}
        company={company.data}
        onClose={() => setEditing(false)}
        onSaved={() => setEditing(false)}
      />
      <ConfirmDelete
        open={asking}
        title={t("companies.delete.title")}
        body={t("companies.delete.body", { name: data.name })}
        action={remove}
        onConfirm={() => remove.mutate()}
        onCancel={stopAsking}
      />
    </Page>
  );
}

function CompanyDetails({ company }: { company: Company }) {
  const { t, dateTime } = useI18n();
  return (
    <section className="card" aria-labelledby="company-details">
      <h2 id="company-details">{t("companies.page.details")}</h2>
      <dl className="details">
        <dt>{t("companies.field.vat")}</dt>
        <dd>{company.vat_number ?? "—"}</dd>
        <dt>{t("companies.field.iban")}</dt>
        <dd>{company.iban ?? "—"}</dd>
        <dt>{t("common.address.legend")}</dt>
        <dd>{addressLine(company.address) || "—"}</dd>
        <dt>{t("companies.field.notes")}</dt>
        <dd className="notes">{company.notes || "—"}</dd>
        <dt>{t("companies.field.updated")}</dt>
        <dd>{dateTime(company.updated_at)}</dd>
      </dl>
    </section>
  );
}
