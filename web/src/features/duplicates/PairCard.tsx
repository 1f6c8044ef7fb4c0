// One candidate pair: its score and reasons, both contacts side by side with the values they
// share marked, and the actions on the pair (merge, not a duplicate) with their errors here.
import { useMutation } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";

import { useAuth } from "../../auth/AuthProvider";
import { useI18n } from "../../i18n/i18n";
import { contactName } from "../../ui/ContactPicker";
import { ProblemAlert } from "../../ui/Problem";
import { dismissPair, sharedFields, type DuplicatePair, type Summary } from "./duplicatesApi";

interface PairCardProps {
  pair: DuplicatePair;
  onMerge: () => void;
  onDismissed: () => void;
}

export function PairCard({ pair, onMerge, onDismissed }: PairCardProps) {
  const { t, number } = useI18n();
  const { can } = useAuth();
  const titleId = useId();
  const [a, b] = pair.contacts;
  const shared = sharedFields(a, b);
  const dismiss = useMutation({ mutationFn: () => dismissPair(pair), onSuccess: onDismissed });
  const tone = pair.score >= 80 ? "badge-danger" : pair.score >= 60 ? "badge-warn" : "";
  return (
    <article className="card pair-card" aria-labelledby={titleId}>
      <header className="pair-header">
        <h2 id={titleId}>
          {t("duplicates.pairTitle", { a: contactName(a), b: contactName(b) })}
        </h2>
        <span className={`badge pair-score ${tone}`}>
          {t("duplicates.score", { score: number(pair.score) })}
        </span>
        <ul className="pair-reasons" aria-label={t("duplicates.reasons")}>
          {pair.reasons.map((reason) => (
            <li key={reason} className="badge">
              {t(`duplicates.reason.${reason}`)}
            </li>
          ))}
        </ul>
      </header>
      <div className="pair-sides">
        <ContactSide side="A" contact={a} shared={shared} />
        <ContactSide side="B" contact={b} shared={shared} />
      </div>
      <ProblemAlert error={dismiss.error} />
      {can("POST", "/contacts/contacts/{contact_id}/merge") ||
      can("POST", "/contacts/duplicates/dismissals") ? (
        <div className="form-actions">
          {can("POST", "/contacts/contacts/{contact_id}/merge") ? (
            <button type="button" className="btn btn-primary" onClick={onMerge}>
              {t("duplicates.merge")}
            </button>
          ) : null}
          {can("POST", "/contacts/duplicates/dismissals") ? (
            <button
              type="button"
              className="btn"
              disabled={dismiss.isPending}
              onClick={() => dismiss.mutate()}
            >
              {t("duplicates.dismiss")}
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

interface ContactSideProps {
  side: "A" | "B";
  contact: Summary;
  shared: Set<string>;
}

function ContactSide({ side, contact, shared }: ContactSideProps) {
  const { t } = useI18n();
  const place = [contact.postcode, contact.city].filter(Boolean).join(" ");
  const rows: [string, string, boolean][] = [
    [t("duplicates.field.emails"), contact.emails.join(", "), shared.has("emails")],
    [t("duplicates.field.phone"), contact.phone_display ?? "", shared.has("phone")],
    [t("duplicates.field.place"), place, shared.has("postcode") && shared.has("city")],
  ];
  const sameName = shared.has("first_name") && shared.has("last_name");
  return (
    <section className="pair-side">
      <h3 className={sameName ? "match" : undefined}>
        <span className="pair-side-letter">{side}</span>
        <Link to={`/contacts/${contact.id}`}>{contactName(contact)}</Link>
        {sameName ? <span className="visually-hidden"> ({t("duplicates.same")})</span> : null}
      </h3>
      <dl className="details">
        {rows.map(([label, value, match]) => (
          <div key={label} className={match ? "match" : undefined}>
            <dt>{label}</dt>
            <dd>
              {value || <span className="muted">{t("duplicates.empty")}</span>}
              {match ? <span className="match-tag">{t("duplicates.same")}</span> : null}
            </dd>
          </div>
        ))}
        <div>
          <dt>{t("duplicates.field.membership")}</dt>
          <dd>
            {contact.membership.status === "member"
              ? t("duplicates.member")
              : t("duplicates.nonMember")}
          </dd>
        </div>
      </dl>
    </section>
  );
}
