import { INTERNAL_TOKEN_HEADER } from '@cp/platform';
import { TEST_INTERNAL_TOKEN } from './stack';

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON call as a client makes it; returns status, headers and parsed body (or text). */
export async function http<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; token?: string } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; keep the text
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/** A call to a service's internal API, as the gateway makes it. */
export function internal<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  return http<T>(method, url, {
    ...options,
    headers: { [INTERNAL_TOKEN_HEADER]: TEST_INTERNAL_TOKEN, ...options.headers },
  });
}
