// A CSV export through the session (the download needs the Authorization header), busy while it
// runs, its error shown beside it.
import { useState } from "react";

import { download } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { ProblemAlert } from "./Problem";
import "./records.css";

interface ExportButtonProps {
  path: string;
  fileName: string;
  label: string;
}

export function ExportButton({ path, fileName, label }: ExportButtonProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await download(path, fileName);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export-button">
      <button type="button" className="btn" disabled={busy} onClick={() => void run()}>
        {busy ? t("common.export.busy") : label}
      </button>
      {busy ? (
        <span className="visually-hidden" role="status">
          {t("common.export.busy")}
        </span>
      ) : null}
      <ProblemAlert error={error} />
    </div>
  );
}
