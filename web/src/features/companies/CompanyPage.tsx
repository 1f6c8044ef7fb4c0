// One company: its details (edit with If-Match, delete), its logo, its contracts and the
// contacts linked to it with their function.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ConfirmDialog } from "../../ui/Dialog";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { addressLine } from "../families/AddressFields";
import { ifMatch } from "../families/tagged";
import { CompanyContacts } from "./CompanyContacts";
import { CompanyContracts } from "./CompanyContracts";
import { CompanyFormDialog } from "./CompanyFormDialog";
import { CompanyLogo } from "./CompanyLogo";
import { companyKeys, useCompany, type Company } from "./companyApi";
import "../families/families.css";
import "./companies.css";

export default function CompanyPage() {
  const { companyId = "" } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const company = useCompany(companyId);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/contacts/companies/{company_id}", {
          params: { path: { company_id: companyId } },
          headers: ifMatch(company.data?.etag),
        }),
      ),
    onSuccess: async () => {
      setDeleting(false);
      queryClient.removeQueries({ queryKey: companyKeys.detail(companyId) });
      await queryClient.invalidateQueries({ queryKey: companyKeys.all });
      void navigate("/companies");
    },
  });

  if (company.isPending) return <Loading />;
  if (company.isError) {
    return (
      <Page title={t("companies.page.fallbackTitle")}>
        <ProblemAlert error={company.error} />
        <Link to="/companies">{t("companies.page.back")}</Link>
      </Page>
    );
  }
  const { data } = company.data;

  return (
    <Page
      title={data.name}
      actions={
        <>
          {can("PATCH", "/contacts/companies/{company_id}") ? (
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              {t("common.edit")}
            </button>
          ) : null}
          {can("DELETE", "/contacts/companies/{company_id}") ? (
            <button type="button" className="btn btn-danger" onClick={() => setDeleting(true)}>
              {t("common.delete")}
            </button>
          ) : null}
        </>
      }
    >
      <p className="back-link">
        <Link to="/companies">{t("companies.page.back")}</Link>
      </p>
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
      <ConfirmDialog
        open={deleting}
        danger
        title={t("companies.delete.title")}
        message={
          <>
            <p>{t("companies.delete.body", { name: data.name })}</p>
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
        <dt>{t("families.address.legend")}</dt>
        <dd>{addressLine(company.address) || "—"}</dd>
        <dt>{t("companies.field.notes")}</dt>
        <dd className="notes">{company.notes || "—"}</dd>
        <dt>{t("companies.field.updated")}</dt>
        <dd>{dateTime(company.updated_at)}</dd>
      </dl>
    </section>
  );
}
