// The part of their contact a member looks after (e-mail addresses, phone, address, IBAN) as
// typed, and the PATCH body of what changed (`null` clears a field). Name, birth date and notes
// stay with the club.
import type { Contact, ContactPatch } from "./portalApi";

export const ADDRESS_FIELDS = ["street", "number", "postcode", "city", "country"] as const;
type AddressField = (typeof ADDRESS_FIELDS)[number];

export interface DetailsValues {
  emails: string[];
  phone: string;
  street: string;
  number: string;
  postcode: string;
  city: string;
  country: string;
  iban: string;
}

export function detailsOf(contact: Contact): DetailsValues {
  const address = contact.address;
  return {
    emails: contact.emails.length ? [...contact.emails] : [""],
    phone: contact.phone_display ?? "",
    street: address.street ?? "",
    number: address.number ?? "",
    postcode: address.postcode ?? "",
    city: address.city ?? "",
    country: address.country ?? "",
    iban: contact.iban ?? "",
  };
}

const blankToNull = (value: string) => (value.trim() === "" ? null : value.trim());
export const filledEmails = (values: DetailsValues) =>
  values.emails.map((email) => email.trim()).filter(Boolean);

export function patchOf(base: DetailsValues, values: DetailsValues): ContactPatch {
  const patch: ContactPatch = {};
  if (filledEmails(base).join("\n") !== filledEmails(values).join("\n")) {
    patch.emails = filledEmails(values);
  }
  if (values.phone.trim() !== base.phone.trim()) patch.phone = blankToNull(values.phone);
  // IBANs are compared as the bank writes them: spaces and case do not make a change.
  const compact = (iban: string) => iban.replace(/\s+/g, "").toUpperCase();
  if (compact(values.iban) !== compact(base.iban)) patch.iban = blankToNull(values.iban);
  const address: Partial<Record<AddressField, string | null>> = {};
  for (const field of ADDRESS_FIELDS) {
    if (values[field].trim() !== base[field].trim()) address[field] = blankToNull(values[field]);
  }
  if (Object.keys(address).length) patch.address = address;
  return patch;
}

/** The API's field ("body.address.postcode", "body.emails.1") as the form's ("postcode",
 * "emails.1"). */
export function formFieldOf(apiField: string): string {
  return apiField.replace(/^body\./, "").replace(/^address\./, "");
}
