import { useI18n } from "../../../i18n/i18n";
import type { Contact } from "./profileApi";

export function DetailsTab({ contact }: { contact: Contact }) {
  const { t, date, dateTime } = useI18n();
  const { address } = contact;
  const street = [address.street, address.number].filter(Boolean).join(" ");
  const town = [address.postcode, address.city].filter(Boolean).join(" ");
  const bouncing = new Map(contact.bouncing_emails.map((bounce) => [bounce.email, bounce]));
  return (
    <section className="card" aria-labelledby="profile-details-heading">
      <h2 id="profile-details-heading">{t("contacts.profile.details.heading")}</h2>
      <dl className="details">
        <dt>{t("contacts.profile.details.firstName")}</dt>
        <dd>{contact.first_name}</dd>
        <dt>{t("contacts.profile.details.lastName")}</dt>
        <dd>{contact.last_name}</dd>
        <dt>{t("contacts.profile.details.emails")}</dt>
        <dd>
          {contact.emails.length === 0 ? "—" : null}
          <ul className="profile-plain-list">
            {contact.emails.map((email) => (
              <li key={email}>
                <a href={`mailto:${email}`}>{email}</a>
                {bouncing.has(email) ? (
                  <>
                    {" "}
                    <span className="badge badge-danger">
                      {t("contacts.profile.details.bouncing")}
                    </span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t("contacts.profile.details.phone")}</dt>
        <dd>{contact.phone_display ?? "—"}</dd>
        <dt>{t("contacts.profile.details.address")}</dt>
        <dd>
          {street || town ? (
            <>
              {street}
              {street && town ? <br /> : null}
              {town}
              {address.country ? ` (${address.country})` : ""}
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt>{t("contacts.profile.details.iban")}</dt>
        <dd className="profile-mono">{contact.iban ?? "—"}</dd>
        <dt>{t("contacts.profile.details.birthDate")}</dt>
        <dd>{contact.birth_date ? date(contact.birth_date) : "—"}</dd>
        <dt>{t("contacts.profile.details.notes")}</dt>
        <dd className="profile-notes">{contact.notes || "—"}</dd>
        <dt>{t("contacts.profile.details.created")}</dt>
        <dd>{dateTime(contact.created_at)}</dd>
        <dt>{t("contacts.profile.details.updated")}</dt>
        <dd>{dateTime(contact.updated_at)}</dd>
      </dl>
    </section>
  );
}
