// /imports: the import wizard (upload, mapping, dry run, run), the imports done before, and
// the exports. A running or finished import has its own view at /imports?job=<id>.
import { useSearchParams } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { Page } from "../../ui/Page";
import { ExportSection } from "./ExportSection";
import { ImportJobView } from "./ImportJobView";
import { ImportWizard } from "./ImportWizard";
import { PastImports } from "./PastImports";
import "./imports.css";

export default function ImportPage() {
  const { t } = useI18n();
  const [search] = useSearchParams();
  const jobId = search.get("job");
  if (jobId) return <ImportJobView key={jobId} jobId={jobId} />;
  return (
    <Page title={t("imports.title")}>
      <ImportWizard />
      <PastImports />
      <ExportSection />
    </Page>
  );
}
