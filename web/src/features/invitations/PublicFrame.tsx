// The frame of the pages a mailed link opens (invitation, forgotten password): no sign-in and
// no navigation, but the language choice, since the person may not read the default one.
import type { ReactNode } from "react";

import { LOCALES, useI18n, type Locale } from "../../i18n/i18n";
import { Page } from "../../ui/Page";
import "./invitations.css";

const LANGUAGE_NAMES: Record<Locale, string> = { nl: "Nederlands", en: "English" };

export function PublicFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <main id="main" className="public-page">
      <div className="public-head">
        <span className="public-brand">Kring</span>
        <label className="language">
          <span className="visually-hidden">{t("invitations.public.language")}</span>
          <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
            {LOCALES.map((code) => (
              <option key={code} value={code} lang={code}>
                {LANGUAGE_NAMES[code]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="public-card">
        <Page title={title}>{children}</Page>
      </div>
    </main>
  );
}
