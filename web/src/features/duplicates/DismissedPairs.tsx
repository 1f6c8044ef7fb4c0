// The pairs dismissed on this screen, each with an undo (the API does not list dismissals, so
// only the ones dismissed here can be taken back here).
import { useMutation } from "@tanstack/react-query";

import { useI18n } from "../../i18n/i18n";
import { contactName } from "../../ui/ContactPicker";
import { ProblemAlert } from "../../ui/Problem";
import { undoDismissal, type DuplicatePair } from "./duplicatesApi";

interface DismissedPairsProps {
  pairs: DuplicatePair[];
  onUndone: (pair: DuplicatePair) => void;
}

export function DismissedPairs({ pairs, onUndone }: DismissedPairsProps) {
  const { t } = useI18n();
  if (pairs.length === 0) return null;
  return (
    <section className="alert alert-success dismissed" role="status" aria-label={t("duplicates.dismissedTitle")}>
      <ul>
        {pairs.map((pair) => (
          <DismissedPair key={`${pair.contacts[0].id}-${pair.contacts[1].id}`} pair={pair} onUndone={onUndone} />
        ))}
      </ul>
    </section>
  );
}

function DismissedPair({ pair, onUndone }: { pair: DuplicatePair; onUndone: (p: DuplicatePair) => void }) {
  const { t } = useI18n();
  const undo = useMutation({ mutationFn: () => undoDismissal(pair), onSuccess: () => onUndone(pair) });
  const [a, b] = pair.contacts;
  return (
    <li>
      {t("duplicates.dismissed", { a: contactName(a), b: contactName(b) })}{" "}
      <button
        type="button"
        className="btn btn-link"
        disabled={undo.isPending}
        onClick={() => undo.mutate()}
      >
        {t("duplicates.undo")}
      </button>
      <ProblemAlert error={undo.error} />
    </li>
  );
}
