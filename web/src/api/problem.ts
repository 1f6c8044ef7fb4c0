// RFC 9457 problem documents as every Kring service answers them, and the error the app throws.

export interface FieldError {
  field: string;
  message: string;
  type: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string | null;
  errors?: FieldError[] | null;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly problem: Problem;
  readonly retryAfterS: number | null;

  constructor(problem: Problem, retryAfterS: number | null = null) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
    this.retryAfterS = retryAfterS;
  }

  get status(): number {
    return this.problem.status;
  }

  /** Field errors by the field's name in the body ("body.address.postcode" → "address.postcode"). */
  fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) {
      const field = error.field.replace(/^(body|query|path)\./, "");
      byField[field] ??= error.message;
    }
    return byField;
  }
}

export function asProblem(body: unknown, response: Response): Problem {
  if (body && typeof body === "object" && "status" in body && "title" in body) {
    return body as Problem;
  }
  return { title: response.statusText || "Error", status: response.status };
}
