// My details: what the club holds on me, and changing my own e-mail addresses, phone, address
// and IBAN — an ordinary contact change (PATCH with If-Match), checked by the contacts
// service as any other, its errors shown at the fields.
import { useEffect, useRef, useState } from "react";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { Loading, Page } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import { DetailsForm } from "./DetailsForm";
import { useMyContact, useMyContactId, type Contact } from "./portalApi";
import "./portal.css";

export default function MyDetailsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const id = useMyContactId();
  const mine = useMyContact(id);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const savedNote = useRef<HTMLParagraphElement>(null);
  const mayEdit = can("PATCH", "/contacts/contacts/{contact_id}");

  useEffect(() => {
    if (saved) savedNote.current?.focus();
  }, [saved]);

  return (
    <Page
      title={t("portal.nav.details")}
      actions={
        mayEdit && mine.data && !editing ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            {t("portal.details.edit")}
          </button>
        ) : null
      }
    >
      {mine.isPending ? <Loading /> : null}
      <ProblemAlert error={mine.error} />
      {saved ? (
        <p className="alert alert-success" role="status" tabIndex={-1} ref={savedNote}>
          {t("portal.details.saved")}
        </p>
      ) : null}
      {mine.data && editing ? (
        <DetailsForm
          start={mine.data}
          onSaved={() => {
            setEditing(false);
            setSaved(true);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
      {mine.data && !editing ? <DetailsView contact={mine.data.contact} /> : null}
    </Page>
  );
}

function DetailsView({ contact }: { contact: Contact }) {
  const { t } = useI18n();
  const address = contact.address;
  const streetLine = [address.street, address.number].filter(Boolean).join(" ");
  const cityLine = [address.postcode, address.city].filter(Boolean).join(" ");
  const none = <span className="muted">{t("portal.details.none")}</span>;
  return (
    <section className="card" aria-labelledby="my-details-name">
      <h2 id="my-details-name">{`${contact.first_name} ${contact.last_name}`}</h2>
      <dl className="portal-facts">
        <dt>{t("portal.field.emails")}</dt>
        <dd>
          {contact.emails.length ? (
            <ul className="plain-list">
              {contact.emails.map((email) => (
                <li key={email}>{email}</li>
              ))}
            </ul>
          ) : (
            none
          )}
        </dd>
        <dt>{t("portal.field.phone")}</dt>
        <dd>{contact.phone_display ?? none}</dd>
        <dt>{t("portal.field.address")}</dt>
        <dd>
          {streetLine || cityLine || address.country ? (
            <address>
              {streetLine ? <div>{streetLine}</div> : null}
              {cityLine ? <div>{cityLine}</div> : null}
              {address.country ? <div>{address.country}</div> : null}
            </address>
          ) : (
            none
          )}
        </dd>
        <dt>{t("portal.field.iban")}</dt>
        <dd className="portal-iban">{contact.iban ? groupedIban(contact.iban) : none}</dd>
      </dl>
      <p className="muted">{t("portal.details.nameByClub")}</p>
    </section>
  );
}


/** An IBAN in groups of four, as it is printed on a bank card. */
function groupedIban(iban: string): string {
  return iban.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}
