// A form's save and cancel buttons; save says so while it is busy.
import { useI18n } from "../i18n/i18n";

interface FormActionsProps {
  busy: boolean;
  /** Save is off while the form is not complete. */
  disabled?: boolean;
  onCancel: () => void;
}

export function FormActions({ busy, disabled = false, onCancel }: FormActionsProps) {
  const { t } = useI18n();
  return (
    <div className="form-actions">
      <button type="submit" className="btn btn-primary" disabled={busy || disabled}>
        {busy ? t("common.saving") : t("common.save")}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        {t("common.cancel")}
      </button>
    </div>
  );
}
