// The contact fields an import can fill (the API's ImportField) and the field a column header
// most likely means, from the Dutch and English names clubs give their columns.

export const IMPORT_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "street",
  "number",
  "postcode",
  "city",
  "country",
  "iban",
  "birth_date",
  "notes",
  "external_id",
] as const;

export type ImportField = (typeof IMPORT_FIELDS)[number];
/** A column's target: a field, or "" for a column left out. */
export type Target = ImportField | "";
export type Mapping = Record<string, Target>;

const HEADER_NAMES: Record<ImportField, string[]> = {
  first_name: ["voornaam", "voornamen", "firstname", "first name", "given name", "forename", "prenom"],
  last_name: [
    "achternaam",
    "familienaam",
    "naam",
    "lastname",
    "last name",
    "surname",
    "family name",
    "nom",
  ],
  email: [
    "email",
    "e-mail",
    "emailadres",
    "e-mailadres",
    "mail",
    "mailadres",
    "email address",
    "e-mail address",
  ],
  phone: [
    "telefoon",
    "telefoonnummer",
    "tel",
    "gsm",
    "gsm-nummer",
    "mobiel",
    "mobile",
    "phone",
    "phone number",
    "telephone",
  ],
  street: ["straat", "straatnaam", "adres", "street", "address"],
  number: ["huisnummer", "nummer", "nr", "number", "house number", "huisnr"],
  postcode: ["postcode", "postnummer", "zip", "zipcode", "zip code", "postal code", "post code"],
  city: ["gemeente", "stad", "woonplaats", "plaats", "city", "town", "municipality"],
  country: ["land", "country", "landcode", "country code"],
  iban: [
    "iban",
    "rekeningnummer",
    "rekening",
    "bankrekening",
    "bankrekeningnummer",
    "account number",
    "bank account",
  ],
  birth_date: [
    "geboortedatum",
    "geboren",
    "geboortedag",
    "birth date",
    "birthdate",
    "date of birth",
    "dob",
    "birthday",
  ],
  notes: ["opmerkingen", "opmerking", "notities", "notitie", "notes", "note", "remarks", "comments"],
  external_id: [
    "lidnummer",
    "lidnr",
    "id",
    "extern id",
    "externe id",
    "member number",
    "member id",
    "external id",
    "reference",
  ],
};

/** Lower case, no accents, separators as single spaces ("E_mail-Adres " → "e mail adres"). */
function normalise(header: string): string {
  return header
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[_.\-/]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const BY_NAME = new Map<string, ImportField>();
for (const field of IMPORT_FIELDS) {
  for (const name of HEADER_NAMES[field]) {
    BY_NAME.set(normalise(name), field);
    // "e-mailadres" and "e mailadres" and "emailadres" all mean one thing.
    BY_NAME.set(normalise(name).replace(/ /g, ""), field);
  }
}

export function suggestField(header: string): Target {
  const name = normalise(header);
  return BY_NAME.get(name) ?? BY_NAME.get(name.replace(/ /g, "")) ?? "";
}

/** A suggestion for every column; a field other than e-mail goes to its first column only. */
export function suggestMapping(columns: readonly string[]): Mapping {
  const taken = new Set<Target>();
  const mapping: Mapping = {};
  for (const column of columns) {
    const field = suggestField(column);
    const free = field === "email" || !taken.has(field);
    mapping[column] = free ? field : "";
    if (free) taken.add(field);
  }
  return mapping;
}

export type MappingProblem =
  | { kind: "required"; field: ImportField }
  | { kind: "twice"; field: ImportField };

/** What the API would refuse about a mapping, said before sending it. */
export function mappingProblems(mapping: Mapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const targets = Object.values(mapping).filter((target): target is ImportField => target !== "");
  for (const field of ["first_name", "last_name"] as const) {
    if (!targets.includes(field)) problems.push({ kind: "required", field });
  }
  const seen = new Set<ImportField>();
  for (const field of targets) {
    if (field !== "email" && seen.has(field)) problems.push({ kind: "twice", field });
    seen.add(field);
  }
  return problems;
}

/** The mapping as the API takes it: only the columns that go somewhere. */
export function apiMapping(mapping: Mapping): Record<string, ImportField> {
  const sent: Record<string, ImportField> = {};
  for (const [column, target] of Object.entries(mapping)) if (target) sent[column] = target;
  return sent;
}
