// Which columns the list shows: a disclosure with a checkbox per column (the name always shows).
import { useI18n } from "../../i18n/i18n";
import { ALL_COLUMNS, type ListColumn } from "./contactQuery";

interface ColumnChooserProps {
  chosen: ListColumn[];
  onChange: (next: ListColumn[]) => void;
}

export function ColumnChooser(props: ColumnChooserProps) {
  const { t } = useI18n();
  const toggle = (column: ListColumn, on: boolean) =>
    props.onChange(on ? [...props.chosen, column] : props.chosen.filter((c) => c !== column));
  return (
    <details className="column-chooser">
      <summary className="btn">{t("contacts.list.columns")}</summary>
      <fieldset>
        <legend className="visually-hidden">{t("contacts.list.columns")}</legend>
        {ALL_COLUMNS.map((column) => (
          <label key={column}>
            <input
              type="checkbox"
              checked={props.chosen.includes(column)}
              disabled={column === "name"}
              onChange={(event) => toggle(column, event.target.checked)}
            />{" "}
            {t(`contacts.column.${column}`)}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
