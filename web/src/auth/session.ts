// The signed-in session. The access token lives in this module's memory only (never in
// localStorage or a readable cookie); the refresh token is an HttpOnly cookie the browser
// sends to /api/v1/auth only, and a refresh must echo the kring_csrf cookie as a header.

export interface TokenAnswer {
  access_token: string;
  expires_in: number;
}

let accessToken: string | null = null;
let refreshTimer: number | undefined;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

export function currentToken(): string | null {
  return accessToken;
}

/** Called when the session starts, ends or is renewed (the app re-reads who is signed in). */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function csrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)kring_csrf=([^;]+)/);
  return match?.[1] ? decodeURIComponent(match[1]) : "";
}

export function startSession(answer: TokenAnswer): void {
  accessToken = answer.access_token;
  window.clearTimeout(refreshTimer);
  // Renew well before expiry so a request never starts with a token about to lapse.
  const renewInMs = Math.max(10, answer.expires_in * 0.75) * 1000;
  refreshTimer = window.setTimeout(() => void refreshSession(), renewInMs);
}

export function endSession(): void {
  const hadSession = accessToken !== null;
  accessToken = null;
  window.clearTimeout(refreshTimer);
  if (hadSession) listeners.forEach((listener) => listener());
}

/** A new access token from the refresh cookie; concurrent callers share one request. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await fetch("/api/v1/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": csrfToken() },
        body: "{}",
      });
      if (!response.ok) {
        endSession();
        return false;
      }
      startSession((await response.json()) as TokenAnswer);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}
