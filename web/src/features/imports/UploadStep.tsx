// Step 1: choose a CSV or XLSX file; its header row is read here, before anything is sent.
import { useState, type FormEvent } from "react";

import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { readFileHeaders, UnreadableFile, type FileHeaders } from "./fileHeaders";

const ACCEPT = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function UploadStep({ onChosen }: { onChosen: (file: File, headers: FileHeaders) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [reading, setReading] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setError(t("imports.upload.required"));
      return;
    }
    setReading(true);
    try {
      onChosen(file, await readFileHeaders(file));
    } catch (problem) {
      const reason = problem instanceof UnreadableFile ? problem.reason : "xlsx";
      const column = problem instanceof UnreadableFile ? problem.column : "";
      setError(t(`imports.upload.unreadable.${reason}`, { column }));
    } finally {
      setReading(false);
    }
  };

  return (
    <form className="wizard-step form" onSubmit={(event) => void submit(event)} noValidate>
      <Field label={t("imports.upload.file")} hint={t("imports.upload.hint")} error={error}>
        {(control) => (
          <input
            {...control}
            type="file"
            accept={ACCEPT}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setError(undefined);
            }}
          />
        )}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={reading}>
          {t("imports.upload.next")}
        </button>
      </div>
    </form>
  );
}
