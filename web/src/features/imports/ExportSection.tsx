// Exports of the whole file: every contact (CSV or XLSX, in the columns an import takes back),
// every family and every company, as the API writes them.
import { useState } from "react";

import { download } from "../../api/client";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";

const CONTACT_COLUMNS = [
  "external_id",
  "first_name",
  "last_name",
  "emails",
  "phone",
  "street",
  "number",
  "postcode",
  "city",
  "country",
  "iban",
  "birth_date",
  "membership_status",
  "membership_types",
  "groups",
  "notes",
];

function useDownload() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (path: string, name: string, init?: RequestInit) => {
    setBusy(true);
    setError(null);
    try {
      await download(path, name, init);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function ExportSection() {
  const { t } = useI18n();
  const { can } = useAuth();
  const mayContacts = can("POST", "/contacts/contacts/query/export");
  const mayFamilies = can("GET", "/contacts/families/export.csv");
  const mayCompanies = can("GET", "/contacts/companies/export.csv");
  if (!mayContacts && !mayFamilies && !mayCompanies) return null;
  return (
    <section className="card" aria-labelledby="exports-title">
      <h2 id="exports-title">{t("imports.export.title")}</h2>
      <div className="export-grid">
        {mayContacts ? <ContactsExport /> : null}
        {mayFamilies ? (
          <FileExport
            title={t("imports.export.families")}
            button={t("imports.export.familiesButton")}
            path="/api/v1/contacts/families/export.csv"
            name="families.csv"
          />
        ) : null}
        {mayCompanies ? (
          <FileExport
            title={t("imports.export.companies")}
            button={t("imports.export.companiesButton")}
            path="/api/v1/contacts/companies/export.csv"
            name="companies.csv"
          />
        ) : null}
      </div>
    </section>
  );
}

function ContactsExport() {
  const { t } = useI18n();
  const [format, setFormat] = useState<"csv" | "xlsx">("csv");
  const { busy, error, run } = useDownload();
  const start = () =>
    void run("/api/v1/contacts/contacts/query/export", `contacts.${format}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ format, columns: CONTACT_COLUMNS }),
    });
  return (
    <div className="export-item">
      <h3>{t("imports.export.contacts")}</h3>
      <Field label={t("imports.export.format")}>
        {(control) => (
          <select
            {...control}
            value={format}
            onChange={(event) => setFormat(event.target.value as "csv" | "xlsx")}
          >
            <option value="csv">CSV</option>
            <option value="xlsx">XLSX (Excel)</option>
          </select>
        )}
      </Field>
      <button type="button" className="btn" disabled={busy} onClick={start}>
        {busy ? t("imports.export.busy") : t("imports.export.contactsButton")}
      </button>
      <ProblemAlert error={error} />
    </div>
  );
}

interface FileExportProps {
  title: string;
  button: string;
  path: string;
  name: string;
}

function FileExport({ title, button, path, name }: FileExportProps) {
  const { t } = useI18n();
  const { busy, error, run } = useDownload();
  return (
    <div className="export-item">
      <h3>{title}</h3>
      <p className="field-hint">{t("imports.export.csvHint")}</p>
      <button type="button" className="btn" disabled={busy} onClick={() => void run(path, name)}>
        {busy ? t("imports.export.busy") : button}
      </button>
      <ProblemAlert error={error} />
    </div>
  );
}
