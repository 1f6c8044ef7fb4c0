// Which columns the result list (and its export) shows, in the API's order.
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/catalog";
import { COLUMNS, type Column } from "./filterTree";

interface ColumnChooserProps {
  columns: Column[];
  onChange: (columns: Column[]) => void;
}

export function ColumnChooser({ columns, onChange }: ColumnChooserProps) {
  const { t } = useI18n();
  const chosen = new Set(columns);
  const toggle = (column: Column, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(column);
    else next.delete(column);
    // Kept in the chosen order, a new column at the end.
    const ordered = columns.filter((name) => next.has(name));
    if (on && !columns.includes(column)) ordered.push(column);
    onChange(ordered);
  };
  return (
    <details className="finder-columns">
      <summary className="btn">{t("finder.columns.button", { count: columns.length })}</summary>
      <fieldset>
        <legend>{t("finder.columns.legend")}</legend>
        <ul>
          {COLUMNS.map((column) => (
            <li key={column}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.has(column)}
                  // The API needs at least one column.
                  disabled={chosen.has(column) && columns.length === 1}
                  onChange={(event) => toggle(column, event.target.checked)}
                />{" "}
                {t(`finder.column.${column}` as MessageKey)}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
    </details>
  );
}
