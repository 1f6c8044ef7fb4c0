// A resource's QR code (it opens the resource's profile), fetched through the session as
// images need the Authorization header, and a button to print it.
import { useI18n } from "../../i18n/i18n";
import { ProblemAlert } from "../../ui/Problem";
import { useAuthorizedImage } from "../companies/objectUrl";
import { resourceKeys, type Resource } from "./resourceApi";

export function ResourceQr({ resource }: { resource: Resource }) {
  const { t } = useI18n();
  const qr = useAuthorizedImage(
    `/api/v1/contacts/resources/${resource.id}/qr.svg`,
    resourceKeys.qr(resource.id),
  );
  return (
    <section className="card qr-card" aria-labelledby="resource-qr">
      <h2 id="resource-qr" className="no-print">
        {t("resources.qr.title")}
      </h2>
      <figure className="qr-figure">
        {qr.url ? (
          <img
            className="qr-image"
            src={qr.url}
            alt={t("resources.qr.alt", { name: resource.name })}
          />
        ) : qr.isPending ? (
          <span className="loading">{t("common.loading")}</span>
        ) : null}
        {resource.code ? (
          <figcaption>{t("resources.qr.code", { code: resource.code })}</figcaption>
        ) : null}
      </figure>
      <ProblemAlert error={qr.error} />
      <p className="field-hint no-print qr-target">
        {t("resources.qr.target")} <code>{resource.qr.target}</code>
      </p>
      <button
        type="button"
        className="btn btn-primary no-print"
        disabled={!qr.url}
        onClick={() => window.print()}
      >
        {t("resources.qr.print")}
      </button>
    </section>
  );
}
