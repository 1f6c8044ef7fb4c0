// Someone else saved the contact while it was being edited: each field we changed, with our
// value beside the current one, and the two ways out.
import { useI18n } from "../../i18n/i18n";
import { Dialog } from "../../ui/Dialog";
import { ProblemAlert } from "../../ui/Problem";
import type { Contact } from "./contactApi";
import { changedFields, formOf, shownValue, type ContactFormValues } from "./contactForm";

export interface Conflict {
  /** The contact as it is now (the 412's `current`). */
  current: Contact;
  /** Its version's ETag, to send our changes again on top of it. */
  etag: string | undefined;
}

interface ConflictDialogProps {
  conflict: Conflict;
  base: ContactFormValues;
  mine: ContactFormValues;
  busy: boolean;
  error: unknown;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  onClose: () => void;
}

export function ConflictDialog(props: ConflictDialogProps) {
  const { t } = useI18n();
  const current = formOf(props.conflict.current);
  const ours = changedFields(props.base, props.mine);
  const theirsOnly = changedFields(props.base, current).filter((field) => !ours.includes(field));
  const show = (value: string) =>
    value === "" ? <span className="muted">{t("contacts.conflict.empty")}</span> : value;

  return (
    <Dialog
      open
      wide
      title={t("contacts.conflict.title")}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="btn" disabled={props.busy} onClick={props.onTakeTheirs}>
            {t("contacts.conflict.takeTheirs")}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={props.busy}
            onClick={props.onKeepMine}
          >
            {t("contacts.conflict.keepMine")}
          </button>
        </>
      }
    >
      <p>{t("contacts.conflict.body")}</p>
      <div className="table-wrap">
        <table className="data-table conflict-table">
          <caption className="visually-hidden">{t("contacts.conflict.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("contacts.conflict.field")}</th>
              <th scope="col">{t("contacts.conflict.yours")}</th>
              <th scope="col">{t("contacts.conflict.current")}</th>
            </tr>
          </thead>
          <tbody>
            {ours.map((field) => (
              <tr key={field}>
                <th scope="row">{t(`contacts.field.${field}`)}</th>
                <td>{show(shownValue(props.mine, field))}</td>
                <td>{show(shownValue(current, field))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {theirsOnly.length ? (
        <p>
          {t("contacts.conflict.theirsKept", {
            fields: theirsOnly.map((field) => t(`contacts.field.${field}`)).join(", "),
          })}
        </p>
      ) : null}
      <ProblemAlert error={props.error} />
    </Dialog>
  );
}
