// A page's frame: its title as the h1 (focused after navigation, so screen readers announce it
// and keyboard users start at the top), the document title, and actions beside it.
import { useEffect, useRef, type ReactNode } from "react";

import { useI18n } from "../i18n/i18n";

interface PageProps {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}

export function Page({ title, actions, children }: PageProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Kring`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section className="page">
      <header className="page-header">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t("common.loading")}
    </p>
  );
}

export function Unavailable({ what }: { what: string }) {
  const { t } = useI18n();
  return (
    <p className="alert alert-warning" role="status">
      {t("common.unavailable", { what })}
    </p>
  );
}

export function NotAllowed() {
  const { t } = useI18n();
  return (
    <Page title={t("common.notAllowed.title")}>
      <p>{t("common.notAllowed.body")}</p>
    </Page>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t("common.notFound.title")}>
      <p>{t("common.notFound.body")}</p>
    </Page>
  );
}

/** A long job's progress: a real <progress> with its figures as text beside it. */
export function Progress({ label, done, total }: { label: string; done: number; total: number }) {
  const { number } = useI18n();
  return (
    <div className="progress">
      <label>
        {label}
        <progress max={Math.max(total, 1)} value={Math.min(done, total)} />
      </label>
      <span>
        {number(done)} / {number(total)}
      </span>
    </div>
  );
}
