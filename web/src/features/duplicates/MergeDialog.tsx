// Merging a pair: which contact stays, and per field whose value it keeps (a radio per field
// between the two), then a confirmation showing the result before anything changes.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";

import { useI18n } from "../../i18n/i18n";
import { contactName } from "../../ui/ContactPicker";
import { Dialog } from "../../ui/Dialog";
import { Loading } from "../../ui/Page";
import { ProblemAlert } from "../../ui/Problem";
import {
  fieldText,
  mergeContacts,
  MERGE_FIELDS,
  useContact,
  type Contact,
  type DuplicatePair,
  type MergeField,
} from "./duplicatesApi";

type Side = 0 | 1;
const SIDE_NAMES = ["A", "B"] as const;

interface MergeDialogProps {
  pair: DuplicatePair;
  onClose: () => void;
  onMerged: (survivor: Contact) => void;
}

export function MergeDialog({ pair, onClose, onMerged }: MergeDialogProps) {
  const { t } = useI18n();
  const first = useContact(pair.contacts[0].id, true);
  const second = useContact(pair.contacts[1].id, true);
  const both = first.data && second.data ? ([first.data, second.data] as const) : null;
  return (
    <Dialog open title={t("duplicates.mergeTitle")} onClose={onClose} wide>
      {first.isPending || second.isPending ? <Loading /> : null}
      <ProblemAlert error={first.error ?? second.error} />
      {both ? <MergeChoices contacts={both} onClose={onClose} onMerged={onMerged} /> : null}
    </Dialog>
  );
}

interface MergeChoicesProps {
  contacts: readonly [Contact, Contact];
  onClose: () => void;
  onMerged: (survivor: Contact) => void;
}

function MergeChoices({ contacts, onClose, onMerged }: MergeChoicesProps) {
  const { t, date, dateTime } = useI18n();
  const text = (side: Side, field: MergeField) => fieldText(contacts[side], field, date);
  const [survivor, setSurvivor] = useState<Side>(0);
  const [choice, setChoice] = useState<Record<MergeField, Side>>(() => {
    const initial = {} as Record<MergeField, Side>;
    for (const field of MERGE_FIELDS) initial[field] = text(0, field) ? 0 : 1;
    return initial;
  });
  const [confirming, setConfirming] = useState(false);
  const duplicate: Side = survivor === 0 ? 1 : 0;
  const take = MERGE_FIELDS.filter((field) => choice[field] === duplicate && text(duplicate, field));
  const merge = useMutation({
    mutationFn: () => mergeContacts(contacts[survivor].id, contacts[duplicate].id, take),
    onSuccess: onMerged,
  });
  const emails = [...new Set([...contacts[survivor].emails, ...contacts[duplicate].emails])];

  if (confirming) {
    return (
      <div className="merge-confirm">
        <p>
          {t("duplicates.confirm.body", {
            duplicate: contactName(contacts[duplicate]),
            survivor: contactName(contacts[survivor]),
          })}
        </p>
        <h3>{t("duplicates.confirm.result")}</h3>
        <dl className="details">
          {MERGE_FIELDS.map((field) => (
            <div key={field}>
              <dt>{t(`duplicates.field.${field}`)}</dt>
              <dd>{text(choice[field], field) || t("duplicates.empty")}</dd>
            </div>
          ))}
          <div>
            <dt>{t("duplicates.field.emails")}</dt>
            <dd>{emails.join(", ") || t("duplicates.empty")}</dd>
          </div>
        </dl>
        <ProblemAlert error={merge.error} />
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            {t("duplicates.confirm.back")}
          </button>
          <button
            type="button"
            className="btn btn-danger"
            disabled={merge.isPending}
            onClick={() => merge.mutate()}
          >
            {merge.isPending ? t("duplicates.confirm.busy") : t("duplicates.confirm.yes")}
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="merge-choices">
      <fieldset className="merge-survivor">
        <legend>{t("duplicates.survivor")}</legend>
        {([0, 1] as const).map((side) => (
          <label key={side} className="merge-option">
            <input
              type="radio"
              name="survivor"
              checked={survivor === side}
              onChange={() => setSurvivor(side)}
            />
            {t("duplicates.keep", {
              side: SIDE_NAMES[side],
              name: contactName(contacts[side]),
              created: dateTime(contacts[side].created_at),
            })}
          </label>
        ))}
        <p className="field-hint">{t("duplicates.survivorHint")}</p>
      </fieldset>
      <div className="merge-grid" role="group" aria-label={t("duplicates.fieldsLabel")}>
        <div className="merge-grid-head" aria-hidden="true">
          <span />
          {([0, 1] as const).map((side) => (
            <span key={side}>
              {SIDE_NAMES[side]} · {contactName(contacts[side])}
              {survivor === side ? ` (${t("duplicates.stays")})` : ""}
            </span>
          ))}
        </div>
        {MERGE_FIELDS.map((field) => (
          <FieldChoice
            key={field}
            field={field}
            values={[text(0, field), text(1, field)]}
            chosen={choice[field]}
            onChoose={(side) => setChoice((all) => ({ ...all, [field]: side }))}
          />
        ))}
      </div>
      <p className="field-hint">{t("duplicates.alwaysKept")}</p>
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => setConfirming(true)}>
          {t("duplicates.mergeNext")}
        </button>
      </div>
    </div>
  );
}

interface FieldChoiceProps {
  field: MergeField;
  values: [string, string];
  chosen: Side;
  onChoose: (side: Side) => void;
}

function FieldChoice({ field, values, chosen, onChoose }: FieldChoiceProps) {
  const { t } = useI18n();
  const labelId = useId();
  const same = values[0] === values[1];
  return (
    <div className="merge-row" role="radiogroup" aria-labelledby={labelId}>
      <span id={labelId} className="merge-field">
        {t(`duplicates.field.${field}`)}
      </span>
      {same ? (
        <span className="merge-same">
          {values[0] || t("duplicates.empty")}
          {values[0] ? <span className="match-tag">{t("duplicates.same")}</span> : null}
        </span>
      ) : (
        ([0, 1] as const).map((side) => (
          <label key={side} className="merge-option">
            <input
              type="radio"
              name={`field-${field}`}
              checked={chosen === side}
              disabled={!values[side]}
              onChange={() => onChoose(side)}
            />
            {values[side] || t("duplicates.empty")}
          </label>
        ))
      )}
    </div>
  );
}
