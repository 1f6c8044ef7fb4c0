// The members per type as horizontal bars (plain CSS). The table beside it carries the same
// figures for everyone, so the drawing is hidden from assistive technology.
import { useI18n } from "../../i18n/i18n";
import type { MemberCounts } from "./membershipApi";

export function MemberCountsChart({ types }: { types: MemberCounts["types"] }) {
  const { number } = useI18n();
  const most = Math.max(1, ...types.map((row) => row.members));
  return (
    <div className="ms-chart" aria-hidden="true">
      {types.map((row) => (
        <div key={row.type_id} className="ms-chart-row">
          <span className="ms-chart-label">{row.type_name}</span>
          <span className="ms-chart-track">
            <span className="ms-chart-bar" style={{ width: `${(row.members / most) * 100}%` }} />
          </span>
          <span className="ms-chart-value">{number(row.members)}</span>
        </div>
      ))}
    </div>
  );
}
