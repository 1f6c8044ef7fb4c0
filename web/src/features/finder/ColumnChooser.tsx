// Which columns the result list (and its export) shows, in the API's order.
import { useState } from "react";

import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/catalog";
import { COLUMNS, type Column } from "./filterTree";

interface ColumnChooserProps {
  columns: Column[];
  onChange: (columns: Column[]) => void;
}

export function ColumnChooser(props: ColumnChooserProps) {
  const { t } = useI18n();
  // Shown at once; the URL (and the list) follow in a router transition.
  const [columns, setColumns] = useState(props.columns);
  const [shown, setShown] = useState(props.columns);
  if (shown !== props.columns) {
    setShown(props.columns);
    setColumns(props.columns);
  }
  const onChange = (next: Column[]) => {
    setColumns(next);
    props.onChange(next);
  };
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
    <details
      className="finder-columns"
      onKeyDown={(event) => {
        // Escape closes the list and leaves the focus on its button.
        if (event.key === "Escape" && event.currentTarget.open) {
          event.currentTarget.open = false;
          event.currentTarget.querySelector("summary")?.focus();
        }
      }}
    >
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
