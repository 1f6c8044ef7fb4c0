// The memberships a run leaves out, counted per reason.
import { useI18n } from "../../i18n/i18n";
import { codeLabel } from "./labels";

export function SkipCounts({ skipped }: { skipped: Record<string, number> }) {
  const { t, number } = useI18n();
  const reasons = Object.entries(skipped).filter(([, count]) => count > 0);
  if (reasons.length === 0) return <p className="muted">{t("billing.skips.none")}</p>;
  return (
    <ul className="skip-counts">
      {reasons.map(([reason, count]) => (
        <li key={reason}>
          <span>{codeLabel(t, "reason", reason)}</span> <strong>{number(count)}</strong>
        </li>
      ))}
    </ul>
  );
}
