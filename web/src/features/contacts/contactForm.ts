// The contact form's values (all text, as typed) and how they become the API's bodies: a
// create sends what is filled in, an edit only what changed (`null` clears a field).
import type { Contact, ContactCreate, ContactPatch } from "./contactApi";

export const ADDRESS_FIELDS = ["street", "number", "postcode", "city", "country"] as const;
type AddressField = (typeof ADDRESS_FIELDS)[number];

export interface ContactFormValues {
  first_name: string;
  last_name: string;
  birth_date: string;
  emails: string[];
  phone: string;
  street: string;
  number: string;
  postcode: string;
  city: string;
  country: string;
  iban: string;
  notes: string;
}

/** The form's fields in the order they are shown (and compared in a conflict). */
export const FORM_FIELDS = [
  "first_name",
  "last_name",
  "birth_date",
  "emails",
  "phone",
  "street",
  "number",
  "postcode",
  "city",
  "country",
  "iban",
  "notes",
] as const satisfies readonly (keyof ContactFormValues)[];
export type FormField = (typeof FORM_FIELDS)[number];

export const EMPTY_FORM: ContactFormValues = {
  first_name: "",
  last_name: "",
  birth_date: "",
  emails: [""],
  phone: "",
  street: "",
  number: "",
  postcode: "",
  city: "",
  country: "BE",
  iban: "",
  notes: "",
};

export function formOf(contact: Contact): ContactFormValues {
  const address = contact.address;
  return {
    first_name: contact.first_name,
    last_name: contact.last_name,
    birth_date: contact.birth_date ?? "",
    emails: contact.emails.length ? [...contact.emails] : [""],
    phone: contact.phone_display ?? "",
    street: address.street ?? "",
    number: address.number ?? "",
    postcode: address.postcode ?? "",
    city: address.city ?? "",
    country: address.country ?? "",
    iban: contact.iban ?? "",
    notes: contact.notes,
  };
}

const blankToNull = (value: string) => (value.trim() === "" ? null : value.trim());
const emailsOf = (values: ContactFormValues) =>
  values.emails.map((email) => email.trim()).filter(Boolean);
const isAddressField = (field: FormField): field is AddressField =>
  (ADDRESS_FIELDS as readonly string[]).includes(field);

/** A field's value as a person compares it (e-mails joined, blanks ignored). */
export function shownValue(values: ContactFormValues, field: FormField): string {
  if (field === "emails") return emailsOf(values).join(", ");
  return values[field].trim();
}

export function createBody(values: ContactFormValues): ContactCreate {
  const address: Record<string, string> = {};
  for (const field of ADDRESS_FIELDS) {
    const value = blankToNull(values[field]);
    if (value !== null) address[field] = value;
  }
  return {
    first_name: values.first_name.trim(),
    last_name: values.last_name.trim(),
    birth_date: blankToNull(values.birth_date),
    emails: emailsOf(values),
    phone: blankToNull(values.phone),
    iban: blankToNull(values.iban),
    notes: values.notes,
    address,
  };
}

/** The fields whose shown value differs between two versions of the form. */
export function changedFields(from: ContactFormValues, to: ContactFormValues): FormField[] {
  return FORM_FIELDS.filter((field) => shownValue(from, field) !== shownValue(to, field));
}

export function patchBody(base: ContactFormValues, values: ContactFormValues): ContactPatch {
  const patch: ContactPatch = {};
  const address: Record<string, string | null> = {};
  for (const field of changedFields(base, values)) {
    if (field === "emails") patch.emails = emailsOf(values);
    else if (field === "notes") patch.notes = values.notes;
    else if (isAddressField(field)) address[field] = blankToNull(values[field]);
    // A name cannot be cleared: an empty one goes as typed, for the API to say so at the field.
    else if (field === "first_name" || field === "last_name") patch[field] = values[field].trim();
    else patch[field] = blankToNull(values[field]);
  }
  if (Object.keys(address).length) patch.address = address;
  return patch;
}

/** An API field path ("address.postcode", "emails.1") as the form's field name. */
export function formFieldOf(apiField: string): string {
  return apiField.replace(/^address\./, "");
}
