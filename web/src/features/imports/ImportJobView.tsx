// /imports?job=<id>: one import (or dry run) followed live until it is done, with its report.
import { Link } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { Page } from "../../ui/Page";
import { useImportJob } from "./importApi";
import { ImportReport } from "./ImportReport";
import { WizardSteps } from "./WizardSteps";
import "./imports.css";

export function ImportJobView({ jobId }: { jobId: string }) {
  const { t, dateTime } = useI18n();
  const job = useImportJob(jobId);
  const title = job.data
    ? t(job.data.dry_run ? "imports.job.dryRunTitle" : "imports.job.title", {
        file: job.data.file_name,
      })
    : t("imports.title");
  return (
    <Page
      title={title}
      actions={
        <Link className="btn" to="/imports">
          {t("imports.job.newImport")}
        </Link>
      }
    >
      <section className="card">
        {job.data && !job.data.dry_run ? <WizardSteps current="run" /> : null}
        {job.data ? (
          <p className="job-started">
            {t("imports.job.started", { at: dateTime(job.data.created_at) })}
            {job.data.finished_at
              ? ` · ${t("imports.job.finished", { at: dateTime(job.data.finished_at) })}`
              : null}
          </p>
        ) : null}
        <ImportReport jobId={jobId} />
      </section>
    </Page>
  );
}
