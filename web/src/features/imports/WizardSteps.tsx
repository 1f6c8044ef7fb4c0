// Where the person is in the import: upload, mapping, dry run, import.
import { useI18n } from "../../i18n/i18n";

export const STEPS = ["upload", "mapping", "dryRun", "run"] as const;
export type Step = (typeof STEPS)[number];

export function WizardSteps({ current }: { current: Step }) {
  const { t } = useI18n();
  const at = STEPS.indexOf(current);
  return (
    <ol className="wizard-steps" aria-label={t("imports.steps.label")}>
      {STEPS.map((step, index) => (
        <li
          key={step}
          aria-current={index === at ? "step" : undefined}
          className={index < at ? "done" : index === at ? "current" : undefined}
        >
          <span className="wizard-step-number" aria-hidden="true">
            {index + 1}
          </span>
          {t(`imports.steps.${step}`)}
        </li>
      ))}
    </ol>
  );
}
