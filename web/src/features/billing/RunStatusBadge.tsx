import { useI18n } from "../../i18n/i18n";
import type { Run } from "./billingApi";
import { codeLabel } from "./labels";

const TONE: Record<Run["status"], string> = {
  queued: "badge",
  running: "badge badge-warn",
  completed: "badge badge-ok",
};

export function RunStatusBadge({ run }: { run: Run }) {
  const { t } = useI18n();
  return <span className={TONE[run.status]}>{codeLabel(t, "runStatus", run.status)}</span>;
}
