// Translated labels of the API's codes (status, method, skip reason), falling back to the code
// itself for a value this version of the app does not know yet.
import type { MessageKey } from "../../i18n/catalog";
import type { I18n } from "../../i18n/i18n";

export function codeLabel(t: I18n["t"], group: string, code: string): string {
  const key = `billing.${group}.${code}`;
  const text = t(key as MessageKey);
  return text === key ? code.replaceAll("_", " ") : text;
}

/** Today as the ISO day of the browser's calendar. */
export function isoToday(offsetDays = 0): string {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

/** A fresh Idempotency-Key for one action (one dialog opening). randomUUID needs a secure
 * context; the fallback builds a v4 UUID from getRandomValues. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
