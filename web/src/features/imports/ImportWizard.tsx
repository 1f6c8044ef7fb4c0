// The wizard's first three steps, kept in memory (the file is the browser's): choose a file,
// map its columns, dry run. Starting the real import moves to the job's own view (?job=).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";

import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import type { FileHeaders } from "./fileHeaders";
import { importKeys, startImport, useImportJob } from "./importApi";
import { ImportReport } from "./ImportReport";
import { MappingStep } from "./MappingStep";
import { apiMapping, suggestMapping, type Mapping } from "./mappingSuggestions";
import { UploadStep } from "./UploadStep";
import { WizardSteps, type Step } from "./WizardSteps";

interface Upload {
  file: File;
  headers: FileHeaders;
}

export function ImportWizard() {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>("upload");
  const [upload, setUpload] = useState<Upload | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [dryRunId, setDryRunId] = useState<string | null>(null);

  const chosen = (file: File, headers: FileHeaders) => {
    setUpload({ file, headers });
    setMapping(suggestMapping(headers.columns));
    setDryRunId(null);
    setStep("mapping");
  };

  return (
    <section className="card import-wizard" aria-labelledby="import-wizard-title">
      <h2 id="import-wizard-title">{t("imports.wizard.title")}</h2>
      <WizardSteps current={step} />
      {step === "upload" || !upload ? (
        <UploadStep onChosen={chosen} />
      ) : step === "mapping" ? (
        <MappingStep
          fileName={upload.file.name}
          headers={upload.headers}
          mapping={mapping}
          onChange={setMapping}
          onBack={() => setStep("upload")}
          file={upload.file}
          onDryRun={(id) => {
            setDryRunId(id);
            setStep("dryRun");
          }}
        />
      ) : (
        <DryRunStep
          file={upload.file}
          mapping={mapping}
          dryRunId={dryRunId}
          onBack={() => setStep("mapping")}
        />
      )}
    </section>
  );
}

interface DryRunStepProps {
  file: File;
  mapping: Mapping;
  dryRunId: string | null;
  onBack: () => void;
}

function DryRunStep({ file, mapping, dryRunId, onBack }: DryRunStepProps) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const job = useImportJob(dryRunId);
  const run = useMutation({
    mutationFn: () => startImport(file, apiMapping(mapping), false),
    onSuccess: (started) => {
      void queryClient.invalidateQueries({ queryKey: importKeys.all });
      void navigate(`/imports?job=${started.id}`);
    },
  });
  const finished = job.data?.status === "done";
  return (
    <div className="wizard-step">
      <h3>{t("imports.dryRun.title")}</h3>
      <p>{t("imports.dryRun.intro")}</p>
      {dryRunId ? <ImportReport jobId={dryRunId} /> : null}
      <ProblemAlert error={run.error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onBack}>
          {t("imports.dryRun.back")}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!finished || run.isPending}
          onClick={() => run.mutate()}
        >
          {run.isPending ? t("imports.run.starting") : t("imports.run.start")}
        </button>
      </div>
    </div>
  );
}
