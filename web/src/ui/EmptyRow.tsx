// The one row of a table with nothing to show ("Nothing found."), across all its columns.
import { useI18n } from "../i18n/i18n";

export function EmptyRow({ columns }: { columns: number }) {
  const { t } = useI18n();
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {t("common.table.empty")}
      </td>
    </tr>
  );
}
