// The typed API client: generated from the gateway's merged OpenAPI (schema.d.ts, see
// `npm run generate-api`), with the access token added and one silent refresh on a 401.
import createClient, { type Middleware } from "openapi-fetch";

import { currentToken, endSession, refreshSession } from "../auth/session";
import { ApiError, asProblem } from "./problem";
import type { paths } from "./schema";

const UNREFRESHABLE = ["/api/v1/auth/login", "/api/v1/auth/refresh"];
const originals = new Map<string, Request>();

function withToken(request: Request): Request {
  const token = currentToken();
  if (token) request.headers.set("authorization", `Bearer ${token}`);
  return request;
}

const auth: Middleware = {
  onRequest({ request, id }) {
    // Kept to send again after a refresh (a body can be read once).
    originals.set(id, request.clone());
    return withToken(request);
  },
  async onResponse({ request, response, id }) {
    const original = originals.get(id);
    originals.delete(id);
    const path = new URL(request.url).pathname;
    if (response.status !== 401 || !original || UNREFRESHABLE.includes(path)) return response;
    if (!(await refreshSession())) {
      endSession();
      return response;
    }
    return fetch(withToken(original));
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiError carrying the problem document. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    const retryAfter = response.headers.get("retry-after");
    throw new ApiError(asProblem(error, response), retryAfter ? Number(retryAfter) : null);
  }
  return data as T;
}

/** The ETag of an answer (the resource's version), to send back as If-Match. */
export function etagOf(response: Response): string | undefined {
  return response.headers.get("etag") ?? undefined;
}

/** A plain request through the same session (downloads, uploads, routes without types). */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = () => {
    const headers = new Headers(init.headers);
    const token = currentToken();
    if (token) headers.set("authorization", `Bearer ${token}`);
    return fetch(path, { ...init, headers, credentials: "same-origin" });
  };
  let response = await send();
  if (response.status === 401 && (await refreshSession())) response = await send();
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    const retryAfter = response.headers.get("retry-after");
    throw new ApiError(asProblem(body, response), retryAfter ? Number(retryAfter) : null);
  }
  return response;
}

/** Saves a downloaded answer under the name its Content-Disposition gives. */
export async function download(path: string, fallbackName: string, init?: RequestInit) {
  const response = await apiFetch(path, init);
  const disposition = response.headers.get("content-disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}
