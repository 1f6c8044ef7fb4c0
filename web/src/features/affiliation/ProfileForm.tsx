// A profile's settings: name and federation, the file's columns in order with their headers,
// the membership types whose members it sends, and the file format. Field errors from the
// service show at their fields.
import { useState, type FormEvent } from "react";

import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/catalog";
import { Field } from "../../ui/Field";
import { ProblemAlert } from "../../ui/Problem";
import { useTypeChoices } from "../memberships/membershipApi";
import {
  ENCODINGS,
  FORMATS,
  SEPARATORS,
  useColumns,
  useSaveProfile,
  type ColumnChoice,
  type Encoding,
  type FileFormat,
  type Profile,
  type Separator,
} from "./affiliationApi";

interface ColumnRow extends ColumnChoice {
  included: boolean;
}

const SEPARATOR_KEYS: Record<Separator, MessageKey> = {
  ";": "affiliation.separator.semicolon",
  ",": "affiliation.separator.comma",
  tab: "affiliation.separator.tab",
};
const ENCODING_KEYS: Record<Encoding, MessageKey> = {
  "utf-8": "affiliation.encoding.utf8",
  "utf-8-bom": "affiliation.encoding.utf8bom",
  "windows-1252": "affiliation.encoding.windows1252",
};

/** The profile's columns first, in its order, then the others on offer, left out, with the
 * column's name in the screen's language as their header until it is changed. */
function columnRows(available: ColumnChoice[], profile: Profile | null, label: (column: string) => string): ColumnRow[] {
  const chosen = profile?.columns ?? [];
  const taken = new Set(chosen.map((choice) => choice.column));
  return [
    ...chosen.map((choice) => ({ ...choice, included: true })),
    ...available
      .filter((choice) => !taken.has(choice.column))
      .map((choice) => ({ column: choice.column, header: label(choice.column), included: false })),
  ];
}

function moved<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return items;
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

export function ProfileForm({ profile, onSaved }: { profile: Profile | null; onSaved: (saved: Profile) => void }) {
  const columns = useColumns();
  if (!columns.data) return null;
  return <ProfileFields available={columns.data} profile={profile} onSaved={onSaved} />;
}

function ProfileFields({
  available,
  profile,
  onSaved,
}: {
  available: ColumnChoice[];
  profile: Profile | null;
  onSaved: (saved: Profile) => void;
}) {
  const { t } = useI18n();
  const { can } = useAuth();
  const types = useTypeChoices(true);
  const save = useSaveProfile();
  const [name, setName] = useState(profile?.name ?? "");
  const [federation, setFederation] = useState(profile?.federation ?? "");
  const columnLabel = (column: string) => t(`affiliation.column.${column}` as MessageKey);
  const [rows, setRows] = useState<ColumnRow[]>(() => columnRows(available, profile, columnLabel));
  const [typeIds, setTypeIds] = useState<string[]>(profile?.type_ids ?? []);
  const [format, setFormat] = useState<FileFormat>(profile?.format ?? "csv");
  const [separator, setSeparator] = useState<Separator>(profile?.csv_separator ?? ";");
  const [encoding, setEncoding] = useState<Encoding>(profile?.csv_encoding ?? "utf-8");
  const [changeHeader, setChangeHeader] = useState(profile?.change_header ?? "change");
  const mayEdit = can(profile ? "PUT" : "POST", profile ? "/memberships/affiliation/profiles/{profile_id}" : "/memberships/affiliation/profiles");
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const columnError = Object.entries(errors).find(([field]) => field.startsWith("columns"))?.[1];
  const typeError = Object.entries(errors).find(([field]) => field.startsWith("type_ids"))?.[1];

  const setRow = (index: number, change: Partial<ColumnRow>) =>
    setRows((current) => current.map((row, at) => (at === index ? { ...row, ...change } : row)));
  const toggleType = (id: string, on: boolean) =>
    setTypeIds((current) => (on ? [...current, id] : current.filter((typeId) => typeId !== id)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        id: profile?.id ?? null,
        body: {
          name,
          federation,
          columns: rows.filter((row) => row.included).map(({ column, header }) => ({ column, header })),
          type_ids: typeIds,
          format,
          csv_separator: separator,
          csv_encoding: encoding,
          change_header: changeHeader,
        },
      },
      { onSuccess: onSaved },
    );
  };

  return (
    <form className="card form af-form" onSubmit={submit} aria-labelledby="af-form-title">
      <h2 id="af-form-title">{profile ? t("affiliation.form.edit") : t("affiliation.form.new")}</h2>
      <div className="form-grid">
        <Field label={t("affiliation.form.name")} error={errors.name} required>
          {(control) => <input {...control} value={name} onChange={(e) => setName(e.target.value)} required />}
        </Field>
        <Field label={t("affiliation.form.federation")} error={errors.federation} required>
          {(control) => (
            <input {...control} value={federation} onChange={(e) => setFederation(e.target.value)} required />
          )}
        </Field>
      </div>

      <fieldset className="af-fieldset">
        <legend>{t("affiliation.form.columns")}</legend>
        <p className="af-muted">{t("affiliation.form.columnsHint")}</p>
        <table className="data-table af-columns">
          <thead>
            <tr>
              <th scope="col">{t("affiliation.form.include")}</th>
              <th scope="col">{t("affiliation.form.header")}</th>
              <th scope="col">{t("affiliation.form.order")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => {
              const label = columnLabel(row.column);
              return (
                <tr key={row.column} className={row.included ? undefined : "af-left-out"}>
                  <td>
                    <label className="af-inline">
                      <input
                        type="checkbox"
                        checked={row.included}
                        onChange={(e) => setRow(index, { included: e.target.checked })}
                      />{" "}
                      {label}
                    </label>
                  </td>
                  <td>
                    <input
                      aria-label={t("affiliation.form.headerOf", { column: label })}
                      value={row.header}
                      disabled={!row.included}
                      onChange={(e) => setRow(index, { header: e.target.value })}
                    />
                  </td>
                  <td className="af-order">
                    <button
                      type="button"
                      className="btn"
                      aria-label={t("affiliation.form.up", { column: label })}
                      disabled={index === 0}
                      onClick={() => setRows((current) => moved(current, index, index - 1))}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="btn"
                      aria-label={t("affiliation.form.down", { column: label })}
                      disabled={index === rows.length - 1}
                      onClick={() => setRows((current) => moved(current, index, index + 1))}
                    >
                      ↓
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {columnError ? (
          <p className="field-error" role="alert">
            {columnError}
          </p>
        ) : null}
      </fieldset>

      <fieldset className="af-fieldset">
        <legend>{t("affiliation.form.types")}</legend>
        <p className="af-muted">{t("affiliation.form.typesHint")}</p>
        <div className="af-types">
          {(types.data ?? []).map((type) => (
            <label key={type.id} className="af-inline">
              <input
                type="checkbox"
                checked={typeIds.includes(type.id)}
                onChange={(e) => toggleType(type.id, e.target.checked)}
              />{" "}
              {type.name}
            </label>
          ))}
        </div>
        {typeError ? (
          <p className="field-error" role="alert">
            {typeError}
          </p>
        ) : null}
      </fieldset>

      <div className="form-grid">
        <Field label={t("affiliation.form.format")} error={errors.format}>
          {(control) => (
            <select {...control} value={format} onChange={(e) => setFormat(e.target.value as FileFormat)}>
              {FORMATS.map((choice) => (
                <option key={choice} value={choice}>
                  {choice.toUpperCase()}
                </option>
              ))}
            </select>
          )}
        </Field>
        {format === "csv" ? (
          <>
            <Field label={t("affiliation.form.separator")} error={errors.csv_separator}>
              {(control) => (
                <select {...control} value={separator} onChange={(e) => setSeparator(e.target.value as Separator)}>
                  {SEPARATORS.map((choice) => (
                    <option key={choice} value={choice}>
                      {t(SEPARATOR_KEYS[choice])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("affiliation.form.encoding")} error={errors.csv_encoding}>
              {(control) => (
                <select {...control} value={encoding} onChange={(e) => setEncoding(e.target.value as Encoding)}>
                  {ENCODINGS.map((choice) => (
                    <option key={choice} value={choice}>
                      {t(ENCODING_KEYS[choice])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        ) : null}
        <Field label={t("affiliation.form.changeHeader")} error={errors.change_header} hint={t("affiliation.form.changeHint")}>
          {(control) => <input {...control} value={changeHeader} onChange={(e) => setChangeHeader(e.target.value)} />}
        </Field>
      </div>
      <ProblemAlert error={save.error} />
      {save.isSuccess ? (
        <p role="status" className="af-done">
          {t("affiliation.form.saved")}
        </p>
      ) : null}
      {mayEdit ? (
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? t("common.saving") : t("common.save")}
          </button>
        </div>
      ) : null}
    </form>
  );
}
