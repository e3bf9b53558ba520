export interface CheckedResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** fetch() that reads the body; the response guard (test/setup) checks it against the contract. */
export async function call(baseUrl: string, path: string, init: RequestInit = {}): Promise<CheckedResponse> {
  const response = await fetch(baseUrl + path, init);
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('application/json')
    ? (JSON.parse(text) as unknown)
    : undefined;
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
