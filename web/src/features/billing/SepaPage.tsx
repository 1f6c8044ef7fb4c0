// /sepa — direct debit: a contact's mandates, a collection of the due invoices (pain.008
// file) and a bank statement's import (camt.053) with what it booked, could not match or
// found returned; and the payment reference the organisation's invoices carry.
import { useState } from "react";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { ContactPicker, contactName } from "../../ui/ContactPicker";
import { Page } from "../../ui/Page";
import { CollectionSection } from "./CollectionSection";
import { MandatesPanel } from "./MandatesPanel";
import { ReferenceSchemeSection } from "./ReferenceSchemeSection";
import { StatementSection } from "./StatementSection";
import "./billing.css";

export default function SepaPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  return (
    <Page title={t("billing.sepa.title")}>
      {can("GET", "/billing/contacts/{contact_id}/mandates") ? <MandatesSection /> : null}
      {can("POST", "/billing/collections") ? <CollectionSection /> : null}
      {can("POST", "/billing/bank-statements") ? <StatementSection /> : null}
      {can("GET", "/billing/organisation") ? <ReferenceSchemeSection /> : null}
    </Page>
  );
}

function MandatesSection() {
  const { t } = useI18n();
  const [contact, setContact] = useState<{ id: string; name: string } | null>(null);
  return (
    <section className="card" aria-labelledby="sepa-mandates">
      <h2 id="sepa-mandates">{t("billing.mandate.title")}</h2>
      <ContactPicker
        label={t("billing.mandate.contact")}
        onPick={(picked) => setContact({ id: picked.id, name: contactName(picked) })}
      />
      {contact ? (
        <>
          <h3>
            <Link to={`/contacts/${contact.id}`}>{contact.name}</Link>
          </h3>
          <MandatesPanel key={contact.id} contactId={contact.id} />
        </>
      ) : (
        <p className="muted">{t("billing.mandate.pickContact")}</p>
      )}
    </section>
  );
}
