// A bank statement (camt.053) upload: the credits booked as payments, what could not be
// matched, the direct debits the bank returned, and what was imported before.
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useImportStatement, type ImportedTransaction, type StatementImport } from "./billingApi";

export function StatementSection() {
  const { t } = useI18n();
  const upload = useImportStatement();
  const [file, setFile] = useState<File | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (file) upload.mutate(file);
  };
  return (
    <section className="card" aria-labelledby="sepa-statement">
      <h2 id="sepa-statement">{t("billing.statement.title")}</h2>
      <form onSubmit={submit} noValidate className="toolbar">
        <Field label={t("billing.statement.file")} hint={t("billing.statement.fileHint")}>
          {(control) => (
            <input
              {...control}
              type="file"
              accept=".xml,application/xml,text/xml"
              onChange={(event) => {
                upload.reset();
                setFile(event.target.files?.[0] ?? null);
              }}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-primary" disabled={!file || upload.isPending}>
          {upload.isPending ? t("billing.statement.importing") : t("billing.statement.import")}
        </button>
      </form>
      <ProblemAlert error={upload.error} />
      {upload.data ? <StatementReport report={upload.data} /> : null}
    </section>
  );
}

function StatementReport({ report }: { report: StatementImport }) {
  const { t, number } = useI18n();
  return (
    <div className="statement-report">
      <p className="alert alert-success" role="status">
        {t("billing.statement.summary", {
          statements: number(report.statements),
          booked: number(report.matched.length),
          unmatched: number(report.unmatched.length),
          returned: number(report.returned.length),
          again: number(report.already_imported.length),
          ignored: number(report.ignored),
        })}
      </p>
      <TransactionTable caption={t("billing.statement.booked")} rows={report.matched} />
      <TransactionTable caption={t("billing.statement.unmatched")} rows={report.unmatched} />
      <TransactionTable caption={t("billing.statement.returned")} rows={report.returned} />
    </div>
  );
}

function TransactionTable({ caption, rows }: { caption: string; rows: ImportedTransaction[] }) {
  const { t, money } = useI18n();
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">{t("billing.collection.amount")}</th>
            <th scope="col">{t("billing.statement.reference")}</th>
            <th scope="col">{t("billing.invoice.number")}</th>
            <th scope="col">{t("billing.statement.note")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <td className="num">{money(row.amount)}</td>
              <td>{row.reference ?? ""}</td>
              <td>
                {row.invoice_id ? (
                  <Link to={`/invoices/${row.invoice_id}`}>{row.number ?? row.invoice_id}</Link>
                ) : (
                  "—"
                )}
              </td>
              <td>
                {row.reason ?? ""}
                {row.mandate_revoked ? (
                  <span className="badge badge-danger">{t("billing.statement.mandateRevoked")}</span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
