// The list's filters: text over every field (applied shortly after typing stops) and
// membership status today.
import { useEffect, useState } from "react";

import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import type { MemberFilter } from "./contactQuery";

const TYPING_PAUSE_MS = 300;

interface ContactListFiltersProps {
  text: string;
  member: MemberFilter;
  onText: (text: string) => void;
  onMember: (member: MemberFilter) => void;
}

export function ContactListFilters(props: ContactListFiltersProps) {
  const { t } = useI18n();
  const [typed, setTyped] = useState(props.text);
  const { text, onText } = props;

  // The URL may change from elsewhere (the quick search's "show all", back and forward).
  useEffect(() => setTyped(text), [text]);

  useEffect(() => {
    if (typed.trim() === text.trim()) return;
    const timer = window.setTimeout(() => onText(typed.trim()), TYPING_PAUSE_MS);
    return () => window.clearTimeout(timer);
  }, [typed, text, onText]);

  return (
    <>
      <Field label={t("contacts.list.filterText")}>
        {(control) => (
          <input
            {...control}
            type="search"
            placeholder={t("contacts.list.filterTextHint")}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") onText(typed.trim());
            }}
          />
        )}
      </Field>
      <Field label={t("contacts.list.filterMember")}>
        {(control) => (
          <select
            {...control}
            value={props.member}
            onChange={(event) => props.onMember(event.target.value as MemberFilter)}
          >
            <option value="">{t("contacts.list.memberAll")}</option>
            <option value="member">{t("contacts.list.memberOnly")}</option>
            <option value="non_member">{t("contacts.list.nonMemberOnly")}</option>
          </select>
        )}
      </Field>
    </>
  );
}
