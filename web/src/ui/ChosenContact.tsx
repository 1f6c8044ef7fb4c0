// The contact picked to link, with a way back to the picker.
import { useI18n } from "../i18n/i18n";
import { contactName, type ContactSummary } from "./ContactPicker";

export function ChosenContact({ contact, onOther }: { contact: ContactSummary; onOther: () => void }) {
  const { t } = useI18n();
  return (
    <div className="field chosen-contact">
      <span className="chosen-label">{t("common.contact.chosen")}</span>
      <span>
        <strong>{contactName(contact)}</strong>{" "}
        <button type="button" className="btn-link" onClick={onOther}>
          {t("common.contact.other")}
        </button>
      </span>
    </div>
  );
}
