// On a contact's profile: make a letter (attestation, welcome, …) for this one contact.
import { useState } from "react";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { GenerateLetters } from "./GenerateLetters";

export function LetterForContact({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const [open, setOpen] = useState(false);
  if (!can("POST", "/billing/letters/jobs")) return null;
  return (
    <div className="letters-for-contact">
      <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t("letters.contact.open")}
      </button>
      {open ? <GenerateLetters contactIds={() => Promise.resolve([contactId])} count={1} /> : null}
    </div>
  );
}
