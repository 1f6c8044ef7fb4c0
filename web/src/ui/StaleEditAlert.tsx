// What a 412 means to a person: someone changed this while you were editing. Shows, field by
// field, your value beside the one now stored, and lets you keep yours or take theirs.
import { useI18n } from "../i18n/i18n";
import "./records.css";

export interface StaleField {
  label: string;
  mine: string;
  theirs: string;
}

interface StaleEditAlertProps {
  fields: StaleField[];
  busy?: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}

export function StaleEditAlert({ fields, busy, onKeepMine, onTakeTheirs }: StaleEditAlertProps) {
  const { t } = useI18n();
  const differing = fields.filter((field) => field.mine !== field.theirs);
  return (
    <div className="alert alert-warning stale-edit" role="alert">
      <strong>{t("common.stale.title")}</strong>
      <p>{t("common.stale.body")}</p>
      {differing.length > 0 ? (
        <table className="data-table stale-table">
          <caption className="visually-hidden">{t("common.stale.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("common.stale.field")}</th>
              <th scope="col">{t("common.stale.mine")}</th>
              <th scope="col">{t("common.stale.theirs")}</th>
            </tr>
          </thead>
          <tbody>
            {differing.map((field) => (
              <tr key={field.label}>
                <th scope="row">{field.label}</th>
                <td>{field.mine || "—"}</td>
                <td>{field.theirs || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={onKeepMine}>
          {t("common.stale.keepMine")}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={onTakeTheirs}>
          {t("common.stale.takeTheirs")}
        </button>
      </div>
    </div>
  );
}
