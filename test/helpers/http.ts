import { expect } from '@jest/globals';
import { specValidator } from './spec-validator';

export interface CheckedResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/**
 * fetch() for tests: every JSON response is validated against the spec of the operation that
 * answered it, so no test can see an off-contract body without failing.
 */
export async function call(baseUrl: string, path: string, init: RequestInit = {}): Promise<CheckedResponse> {
  const response = await fetch(baseUrl + path, init);
  const text = await response.text();
  let json: unknown = undefined;
  if ((response.headers.get('content-type') ?? '').includes('application/json')) {
    json = JSON.parse(text);
    const validator = await specValidator();
    const pathname = new URL(baseUrl + path).pathname;
    const problems = validator.checkJsonResponse(init.method ?? 'GET', pathname, response.status, json);
    expect({ request: `${init.method ?? 'GET'} ${pathname}`, status: response.status, problems }).toEqual({
      request: `${init.method ?? 'GET'} ${pathname}`,
      status: response.status,
      problems: [],
    });
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<CheckedResponse> {
  return call(baseUrl, path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
