// Step 2: every column of the file and the contact field it fills (suggested from its Dutch or
// English header), or left out. The dry run starts from here.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import type { FileHeaders } from "./fileHeaders";
import { importKeys, startImport } from "./importApi";
import {
  apiMapping,
  IMPORT_FIELDS,
  mappingProblems,
  type Mapping,
  type Target,
} from "./mappingSuggestions";

interface MappingStepProps {
  file: File;
  fileName: string;
  headers: FileHeaders;
  mapping: Mapping;
  onChange: (mapping: Mapping) => void;
  onBack: () => void;
  onDryRun: (jobId: string) => void;
}

export function MappingStep(props: MappingStepProps) {
  const { t } = useI18n();
  const { headers, mapping } = props;
  const queryClient = useQueryClient();
  const [tried, setTried] = useState(false);
  const problems = mappingProblems(mapping);
  const dryRun = useMutation({
    mutationFn: () => startImport(props.file, apiMapping(mapping), true),
    onSuccess: (job) => {
      void queryClient.invalidateQueries({ queryKey: importKeys.all });
      props.onDryRun(job.id);
    },
  });

  const start = () => {
    setTried(true);
    if (problems.length === 0) dryRun.mutate();
  };

  return (
    <div className="wizard-step">
      <h3>{t("imports.mapping.title")}</h3>
      <p>
        {t("imports.mapping.intro", {
          file: props.fileName,
          columns: headers.columns.length,
        })}
      </p>
      <div className="table-wrap">
        <table className="data-table mapping-table">
          <caption className="visually-hidden">{t("imports.mapping.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("imports.mapping.column")}</th>
              <th scope="col">{t("imports.mapping.example")}</th>
              <th scope="col">{t("imports.mapping.field")}</th>
            </tr>
          </thead>
          <tbody>
            {headers.columns.map((column, index) => (
              <tr key={column}>
                <th scope="row">
                  <label htmlFor={`mapping-${index}`}>{column}</label>
                </th>
                <td className="mapping-example">
                  <span className="mapping-example-label">{t("imports.mapping.example")}: </span>
                  {exampleOf(headers, column, mapping[column] ?? "")}
                </td>
                <td>
                  <select
                    id={`mapping-${index}`}
                    value={mapping[column] ?? ""}
                    onChange={(event) =>
                      props.onChange({ ...mapping, [column]: event.target.value as Target })
                    }
                  >
                    <option value="">{t("imports.mapping.ignore")}</option>
                    {IMPORT_FIELDS.map((field) => (
                      <option key={field} value={field}>
                        {t(`imports.field.${field}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {tried && problems.length ? (
        <div className="alert alert-error" role="alert">
          <strong>{t("imports.mapping.problems")}</strong>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.kind}-${problem.field}`}>
                {t(`imports.mapping.problem.${problem.kind}`, {
                  field: t(`imports.field.${problem.field}`),
                })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ProblemAlert error={dryRun.error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={props.onBack}>
          {t("imports.mapping.back")}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={dryRun.isPending}
          onClick={start}
        >
          {dryRun.isPending ? t("imports.dryRun.starting") : t("imports.dryRun.start")}
        </button>
      </div>
    </div>
  );
}

/** The first row's cell; a date in an XLSX sheet is a day count since 1899-12-30. */
function exampleOf(headers: FileHeaders, column: string, target: Target): string {
  const value = headers.sample[column] ?? "";
  if (headers.format !== "xlsx" || target !== "birth_date" || !/^\d+(\.\d+)?$/.test(value)) {
    return value;
  }
  const day = new Date(Date.UTC(1899, 11, 30) + Math.floor(Number(value)) * 86_400_000);
  return day.toISOString().slice(0, 10);
}
