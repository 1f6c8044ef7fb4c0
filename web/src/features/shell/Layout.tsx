// The staff app's frame: skip link, header (quick search, language, account), navigation by
// role, and the page.
import { Suspense, type ReactNode } from "react";
import { Link, NavLink, Outlet } from "react-router";

import { PAGES, PORTAL_PAGES, SECTIONS } from "../../app/routes";
import { useAuth } from "../../auth/AuthProvider";
import { LOCALES, useI18n, type Locale } from "../../i18n/i18n";
import { Loading } from "../../ui/Page";
import { QuickSearch } from "../search/QuickSearch";

export function Layout() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigation = PAGES.filter((page) => page.nav && can(...page.needs));
  return (
    <div className="app">
      <Header>{can("GET", "/contacts/contacts/search") ? <QuickSearch /> : null}</Header>
      <nav className="app-nav" aria-label={t("shell.nav.label")}>
        {SECTIONS.map((section) => {
          const pages = navigation.filter((page) => page.section === section);
          if (pages.length === 0) return null;
          return (
            <div key={section} className="nav-section">
              <h2 id={`nav-${section}`}>{t(`shell.section.${section}`)}</h2>
              <ul aria-labelledby={`nav-${section}`}>
                {pages.map((page) => (
                  <li key={page.path}>
                    <NavLink to={page.path}>{page.nav ? t(page.nav) : null}</NavLink>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <main id="main" className="app-main">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/** A member's portal: the same frame with their own small navigation. */
export function PortalLayout() {
  const { t } = useI18n();
  return (
    <div className="app app-portal">
      <Header />
      <nav className="app-nav" aria-label={t("portal.nav.label")}>
        <ul>
          {PORTAL_PAGES.map((page) => (
            <li key={page.path}>
              <NavLink to={page.path} end>
                {t(page.nav)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="app-main">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

function Header({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          Kring
        </Link>
        {children}
        <LanguageSwitch />
        <AccountMenu />
      </header>
    </>
  );
}

function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    // A label beside the select, not around it: the select's name is "Taal" alone, not the
    // label's text with every option's.
    <div className="language">
      <label htmlFor="language" className="visually-hidden">
        {t("shell.language")}
      </label>
      <select
        id="language"
        value={locale}
        onChange={(event) => setLocale(event.target.value as Locale)}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code}>
            {code === "nl" ? "Nederlands" : "English"}
          </option>
        ))}
      </select>
    </div>
  );
}

function AccountMenu() {
  const { t } = useI18n();
  const { me, logout } = useAuth();
  return (
    <div className="account">
      <span className="account-name">{me?.email ?? ""}</span>
      <Link to="/account/password">{t("shell.changePassword")}</Link>
      <button type="button" className="btn btn-link" onClick={() => void logout()}>
        {t("shell.logout")}
      </button>
    </div>
  );
}
