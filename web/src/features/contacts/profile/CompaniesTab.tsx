import { Link } from "react-router";

import { useI18n } from "../../../i18n/i18n";
import { Loading } from "../../../ui/Page";
import { ProblemAlert } from "../../../ui/Problem";
import { useContactCompanies } from "./profileApi";

export function CompaniesTab({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const companies = useContactCompanies(contactId);
  return (
    <section className="card" aria-labelledby="profile-companies-heading">
      <h2 id="profile-companies-heading">{t("contacts.profile.companies.heading")}</h2>
      {companies.isPending ? <Loading /> : null}
      <ProblemAlert error={companies.error} />
      {companies.data?.length === 0 ? <p>{t("contacts.profile.companies.none")}</p> : null}
      {companies.data?.length ? (
        <ul className="profile-list">
          {companies.data.map(({ company, role }) => (
            <li key={company.id}>
              <Link to={`/companies/${company.id}`}>{company.name}</Link>
              <span>{role}</span>
              {company.vat_number ? (
                <span className="profile-muted profile-mono">{company.vat_number}</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
