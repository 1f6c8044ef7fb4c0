// The invoice list's filters, each written to the URL (a new filter starts at page 1).
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName } from "../../ui/ContactPicker";
import { Field } from "../../ui/Field";
import type { ListParams } from "../../ui/useListParams";
import { INVOICE_STATUSES } from "./billingApi";
import { codeLabel } from "./labels";

export function InvoiceFilters({ params }: { params: ListParams }) {
  const { t } = useI18n();
  const [, setSearch] = useSearchParams();
  const [number, setNumber] = useState(params.filter("number"));
  const contactId = params.filter("contact");
  const runId = params.filter("run");

  const setContact = (id: string, name: string) =>
    setSearch((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of [["contact", id], ["contactName", name]] as const) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      next.delete("page");
      return next;
    });

  const searchNumber = (event: FormEvent) => {
    event.preventDefault();
    params.setFilter("number", number.trim());
  };

  return (
    <div className="card invoice-filters">
      <div className="toolbar">
        <Field label={t("billing.filter.status")}>
          {(control) => (
            <select
              {...control}
              value={params.filter("status")}
              onChange={(event) => params.setFilter("status", event.target.value)}
            >
              <option value="">{t("billing.filter.all")}</option>
              <option value="open">{t("billing.filter.open")}</option>
              <option value="overdue">{t("billing.status.overdue")}</option>
              {INVOICE_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {codeLabel(t, "status", status)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("billing.filter.kind")}>
          {(control) => (
            <select
              {...control}
              value={params.filter("kind")}
              onChange={(event) => params.setFilter("kind", event.target.value)}
            >
              <option value="">{t("billing.filter.all")}</option>
              <option value="invoice">{t("billing.kind.invoice")}</option>
              <option value="credit_note">{t("billing.kind.credit_note")}</option>
            </select>
          )}
        </Field>
        <Field label={t("billing.filter.dueBefore")}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={params.filter("due_before")}
              onChange={(event) => params.setFilter("due_before", event.target.value)}
            />
          )}
        </Field>
        <form className="number-search" onSubmit={searchNumber} role="search">
          <Field label={t("billing.filter.number")}>
            {(control) => (
              <input
                {...control}
                value={number}
                maxLength={20}
                placeholder="2026-000042"
                onChange={(event) => setNumber(event.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="btn">
            {t("common.search")}
          </button>
        </form>
      </div>
      <div className="toolbar">
        {contactId ? (
          <p className="filter-chip">
            {t("billing.filter.contactChosen", {
              name: params.filter("contactName") || contactId,
            })}{" "}
            <button type="button" className="btn-link" onClick={() => setContact("", "")}>
              {t("billing.filter.clear")}
            </button>
          </p>
        ) : (
          <ContactPicker
            label={t("billing.filter.contact")}
            onPick={(contact) => setContact(contact.id, contactName(contact))}
          />
        )}
        {runId ? (
          <p className="filter-chip">
            {t("billing.filter.runChosen")}{" "}
            <button type="button" className="btn-link" onClick={() => params.setFilter("run", "")}>
              {t("billing.filter.clear")}
            </button>
          </p>
        ) : null}
      </div>
    </div>
  );
}
