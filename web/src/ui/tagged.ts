// Single resources read with their ETag, so an edit can send it back as If-Match; the errors a
// save shows at its fields, in an alert, or as a conflict.
import { etagOf, unwrap } from "../api/client";
import { ApiError } from "../api/problem";

export interface Tagged<T> {
  data: T;
  etag: string | undefined;
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export async function withEtag<T>(call: Promise<Answer<T>>): Promise<Tagged<T>> {
  const data = await unwrap(call);
  const { response } = await call;
  return { data, etag: etagOf(response) };
}

export function ifMatch(etag: string | undefined): Record<string, string> {
  return etag ? { "If-Match": etag } : {};
}

/** A 412's current representation and the ETag to overwrite it with, else null. */
export function staleOf<T>(error: unknown): { current: T; etag: string } | null {
  if (!(error instanceof ApiError) || error.status !== 412) return null;
  const { current, current_version: version } = error.problem;
  if (current === undefined || version === undefined) return null;
  return { current: current as T, etag: `"${String(version)}"` };
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors() : {};
}

/** The error to show in an alert: field errors are shown at their fields instead. */
export function alertErrorOf(error: unknown): unknown {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 412) return null;
  if (error instanceof ApiError && error.status === 422 && (error.problem.errors?.length ?? 0) > 0) {
    return null;
  }
  return error;
}
