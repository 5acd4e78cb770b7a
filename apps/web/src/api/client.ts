// The one thin wrapper around the generated client: adds the session's bearer token, renews it
// once on a 401, and turns problem+json answers into ApiError with per-field messages.
import createClient from 'openapi-fetch';
import type { components, paths } from './openapi.gen';
import { COOKIE_TRANSPORT, Session } from './session';

export type Schemas = components['schemas'];
export type Problem = Schemas['ProblemModel'];

/** A refused request, in words: `detail` for the page, `fields` for the form's inputs. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly problem: Partial<Problem>;

  constructor(status: number, problem: Partial<Problem> | undefined) {
    super(
      problem?.detail ?? (status >= 500 ? 'The service is unavailable; try again shortly.' : 'Something went wrong.'),
    );
    this.status = status;
    this.code = problem?.code ?? 'UNKNOWN';
    this.problem = problem ?? {};
    this.fields = {};
    for (const error of problem?.errors ?? []) this.fields[error.field] ??= error.message;
  }
}

export type Api = ReturnType<typeof createApi>;

export function createApi(session: Session) {
  return createClient<paths>({
    baseUrl: window.location.origin,
    credentials: 'same-origin',
    headers: COOKIE_TRANSPORT,
    fetch: async (request: Request) => {
      const again = request.clone();
      const token = await session.token();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      const res = await fetch(request);
      if (res.status !== 401 || !token || !(await session.renew())) return res;
      const renewed = await session.token();
      if (renewed) again.headers.set('Authorization', `Bearer ${renewed}`);
      return fetch(again);
    },
  });
}

/** The answer's data, or an ApiError with the problem's words. */
export function data<T>(answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.error !== undefined || !answer.response.ok) {
    throw new ApiError(answer.response.status, answer.error as Partial<Problem> | undefined);
  }
  return answer.data as T;
}

/** For routes that answer 204. */
export function done(answer: { error?: unknown; response: Response }): void {
  if (!answer.response.ok) throw new ApiError(answer.response.status, answer.error as Partial<Problem> | undefined);
}

/** Shows an error next to the field that caused it, or (no field) above the form. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fields[field] : undefined;
}

export function formError(error: unknown, fields: string[] = []): string | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError) {
    if (fields.some((f) => error.fields[f])) return undefined;
    return error.message;
  }
  return 'The service could not be reached; check your connection and try again.';
}
