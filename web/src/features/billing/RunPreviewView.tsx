// A dry run's answer: how many invoices, their total, per type, and who would be skipped why.
import { useI18n } from "../../i18n/i18n";
import type { RunPreview } from "./billingApi";
import { SkipCounts } from "./SkipCounts";

export function RunPreviewView({ preview, stale }: { preview: RunPreview; stale: boolean }) {
  const { t, money, number, date } = useI18n();
  return (
    <section className={stale ? "run-preview stale" : "run-preview"} aria-labelledby="preview-title">
      <h3 id="preview-title">{t("billing.preview.title")}</h3>
      <p className="preview-summary" role="status">
        {t("billing.preview.summary", {
          count: number(preview.invoices),
          total: money(preview.total),
        })}
      </p>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">{t("billing.preview.perType")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("billing.preview.type")}</th>
              <th scope="col">{t("billing.invoice.period")}</th>
              <th scope="col" className="num">{t("billing.preview.fee")}</th>
              <th scope="col" className="num">{t("billing.preview.count")}</th>
              <th scope="col" className="num">{t("billing.invoice.total")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.types.map((type) => (
              <tr key={type.type_id}>
                <td>{type.name}</td>
                <td>
                  {type.period_start ? `${date(type.period_start)} – ${date(type.period_end)}` : "—"}
                </td>
                <td className="num">{type.fee === null ? "—" : money(type.fee, type.currency)}</td>
                <td className="num">{number(type.memberships)}</td>
                <td className="num">{money(type.total, type.currency)}</td>
              </tr>
            ))}
            {preview.types.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  {t("billing.preview.noTypes")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h4>{t("billing.skips.title")}</h4>
      <SkipCounts skipped={preview.skipped} />
    </section>
  );
}
