// The two languages of the app: Dutch (nl-BE, the default) and English. Every string lives in
// a feature's messages.nl.json / messages.en.json (identical keys; a test compares them),
// registered once in catalog.ts under the feature's prefix.
import { createContext, use, useCallback, useMemo, useState, type ReactNode } from "react";

import { catalogs, type MessageKey } from "./catalog";

export type Locale = "nl" | "en";
export const LOCALES: readonly Locale[] = ["nl", "en"];
const BCP47: Record<Locale, string> = { nl: "nl-BE", en: "en-GB" };
const STORED_LOCALE = "kring.locale";

type Vars = Record<string, string | number>;

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  date: (value: string | Date | null | undefined) => string;
  dateTime: (value: string | Date | null | undefined) => string;
  number: (value: number) => string;
  money: (value: string | number, currency?: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLocale(): Locale {
  // Only the language choice is remembered in the browser; never a token.
  const stored = window.localStorage.getItem(STORED_LOCALE);
  if (stored === "nl" || stored === "en") return stored;
  return navigator.language.toLowerCase().startsWith("en") ? "en" : "nl";
}

function fill(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

function asDate(value: string | Date): Date {
  // A bare ISO date is a calendar day, not midnight UTC.
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? new Date(`${value}T00:00:00`)
    : new Date(value);
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  const setLocale = useCallback((next: Locale) => {
    window.localStorage.setItem(STORED_LOCALE, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const tag = BCP47[locale];
    const messages = catalogs[locale];
    const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: "medium" });
    const dateTimeFormat = new Intl.DateTimeFormat(tag, {
      dateStyle: "medium",
      timeStyle: "short",
    });
    const numberFormat = new Intl.NumberFormat(tag);
    document.documentElement.lang = locale;
    return {
      locale,
      setLocale,
      t: (key, vars) => fill(messages[key] ?? key, vars),
      date: (v) => (v ? dateFormat.format(asDate(v)) : ""),
      dateTime: (v) => (v ? dateTimeFormat.format(asDate(v)) : ""),
      number: (v) => numberFormat.format(v),
      money: (v, currency = "EUR") =>
        new Intl.NumberFormat(tag, { style: "currency", currency }).format(Number(v)),
    };
  }, [locale, setLocale]);

  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  const value = use(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
