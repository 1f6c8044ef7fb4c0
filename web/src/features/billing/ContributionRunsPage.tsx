import { useI18n } from "../../i18n/i18n";
import { Page } from "../../ui/Page";

export default function ContributionRunsPage() {
  const { t } = useI18n();
  return <Page title={t("shell.nav.contributionRuns")}>{null}</Page>;
}
