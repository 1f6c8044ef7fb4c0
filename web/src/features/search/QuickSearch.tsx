// The quick search in the header (replaced by the search feature's full version).
import { useI18n } from "../../i18n/i18n";

export function QuickSearch() {
  const { t } = useI18n();
  return (
    <div className="quick-search" role="search">
      <label htmlFor="quick-search" className="visually-hidden">
        {t("search.label")}
      </label>
      <input id="quick-search" type="search" placeholder={t("search.placeholder")} />
    </div>
  );
}
