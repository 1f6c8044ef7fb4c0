// An error shown where it happened: the problem's title and detail, and a retry hint on 503.
import { ApiError } from "../api/problem";
import { useI18n } from "../i18n/i18n";

export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof ApiError) {
    const { problem, retryAfterS } = error;
    return (
      <div className="alert alert-error" role="alert">
        <strong>{problemTitle(error, t)}</strong>
        {problem.detail ? <p>{problem.detail}</p> : null}
        {retryAfterS ? <p>{t("common.problem.retryAfter", { seconds: retryAfterS })}</p> : null}
      </div>
    );
  }
  return (
    <div className="alert alert-error" role="alert">
      <strong>{t("common.problem.network")}</strong>
    </div>
  );
}

function problemTitle(error: ApiError, t: ReturnType<typeof useI18n>["t"]): string {
  switch (error.status) {
    case 403:
      return t("common.problem.forbidden");
    case 404:
      return t("common.problem.notFound");
    case 409:
      return t("common.problem.conflict");
    case 412:
      return t("common.problem.stale");
    case 422:
      return t("common.problem.invalid");
    case 429:
      return t("common.problem.tooMany");
    case 503:
    case 504:
      return t("common.problem.unavailable");
    default:
      return error.problem.title;
  }
}
