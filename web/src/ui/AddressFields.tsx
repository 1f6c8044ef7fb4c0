// A postal address's inputs (street, number, postcode, city, country), with the API's field
// errors ("address.postcode") beside each.
import type { components } from "../api/schema";
import { useI18n } from "../i18n/i18n";
import { Field } from "./Field";
import "./records.css";

type Address = components["schemas"]["contacts.Address"];
type AddressInput = components["schemas"]["contacts.AddressInput"];

export interface AddressValue {
  street: string;
  number: string;
  postcode: string;
  city: string;
  country: string;
}

const PARTS = ["street", "number", "postcode", "city", "country"] as const;

export function addressValue(address: Address | null | undefined): AddressValue {
  return {
    street: address?.street ?? "",
    number: address?.number ?? "",
    postcode: address?.postcode ?? "",
    city: address?.city ?? "",
    country: address?.country ?? "",
  };
}

/** What the API takes: an empty input clears the part (null). */
export function addressInput(value: AddressValue): AddressInput {
  const input: AddressInput = {};
  for (const part of PARTS) {
    const text = value[part].trim();
    input[part] = text === "" ? null : part === "country" ? text.toUpperCase() : text;
  }
  return input;
}

/** One line: "Kerkstraat 1, 9000 Gent". */
export function addressLine(address: Address | AddressInput | null | undefined): string {
  if (!address) return "";
  const street = [address.street, address.number].filter(Boolean).join(" ");
  const place = [address.postcode, address.city].filter(Boolean).join(" ");
  return [street, place].filter(Boolean).join(", ");
}

interface AddressFieldsProps {
  value: AddressValue;
  onChange: (value: AddressValue) => void;
  errors: Record<string, string>;
}

export function AddressFields({ value, onChange, errors }: AddressFieldsProps) {
  const { t } = useI18n();
  const labels = {
    street: t("common.address.street"),
    number: t("common.address.number"),
    postcode: t("common.address.postcode"),
    city: t("common.address.city"),
    country: t("common.address.country"),
  };
  return (
    <fieldset className="address-fields">
      <legend>{t("common.address.legend")}</legend>
      <div className="form-grid">
        {PARTS.map((part) => (
          <Field
            key={part}
            label={labels[part]}
            error={errors[`address.${part}`]}
            hint={part === "country" ? t("common.address.countryHint") : undefined}
          >
            {(control) => (
              <input
                {...control}
                value={value[part]}
                maxLength={part === "country" ? 2 : undefined}
                autoComplete={AUTOCOMPLETE[part]}
                onChange={(event) => onChange({ ...value, [part]: event.target.value })}
              />
            )}
          </Field>
        ))}
      </div>
    </fieldset>
  );
}

const AUTOCOMPLETE: Record<(typeof PARTS)[number], string> = {
  street: "address-line1",
  number: "off",
  postcode: "postal-code",
  city: "address-level2",
  country: "country",
};
