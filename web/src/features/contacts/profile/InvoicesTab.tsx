// The contact's open items: issued invoices with something still due, and any credit.
import { useI18n } from "../../../i18n/i18n";
import type { OpenItems, Section } from "./profileApi";
import { SectionBody } from "./SectionBody";

export function InvoicesTab({ section }: { section: Section<OpenItems> }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="profile-invoices-heading">
      <h2 id="profile-invoices-heading">{t("contacts.profile.invoices.heading")}</h2>
      <SectionBody section={section} what={t("contacts.profile.services.billing")}>
        {(open) => <OpenItemsTable open={open} />}
      </SectionBody>
    </section>
  );
}

function OpenItemsTable({ open }: { open: OpenItems }) {
  const { t, date, money } = useI18n();
  const credit = Number(open.credit_balance);
  return (
    <>
      <dl className="details profile-totals">
        <dt>{t("contacts.profile.invoices.openTotal")}</dt>
        <dd>{money(open.open_total)}</dd>
        {credit > 0 ? (
          <>
            <dt>{t("contacts.profile.invoices.credit")}</dt>
            <dd>{money(open.credit_balance)}</dd>
          </>
        ) : null}
      </dl>
      {open.items.length === 0 ? (
        <p>{t("contacts.profile.invoices.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{t("contacts.profile.invoices.heading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("contacts.profile.invoices.number")}</th>
                <th scope="col">{t("contacts.profile.invoices.issued")}</th>
                <th scope="col">{t("contacts.profile.invoices.due")}</th>
                <th scope="col">{t("contacts.profile.invoices.total")}</th>
                <th scope="col">{t("contacts.profile.invoices.open")}</th>
              </tr>
            </thead>
            <tbody>
              {open.items.map((invoice) => {
                const overdue = invoice.due_date !== null && invoice.due_date !== undefined
                  && new Date(invoice.due_date) < new Date();
                return (
                  <tr key={invoice.id}>
                    <td>{invoice.number ?? "—"}</td>
                    <td>{date(invoice.issue_date)}</td>
                    <td>
                      {date(invoice.due_date)}
                      {overdue ? (
                        <>
                          {" "}
                          <span className="badge badge-danger">
                            {t("contacts.profile.invoices.overdue")}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{money(invoice.total, invoice.currency)}</td>
                    <td>{money(invoice.open_amount, invoice.currency)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
