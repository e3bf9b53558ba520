import { specValidator } from './spec-validator';

/**
 * Every response a test receives from a gateway under test is checked against the contract:
 * JSON bodies against the operation's schema for that status, server-sent events one by one
 * against the operation's `x-sse-event-schema`. Violations fail the test that saw them.
 */
const gatewayOrigins = new Set<string>();
const pending: Promise<void>[] = [];
const violations: string[] = [];

export function guardGateway(baseUrl: string): void {
  gatewayOrigins.add(new URL(baseUrl).origin);
}

export function releaseGateway(baseUrl: string): void {
  gatewayOrigins.delete(new URL(baseUrl).origin);
}

async function readAll(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The test aborted the request: check the events that arrived.
  }
  return text;
}

async function check(method: string, url: URL, response: Response): Promise<void> {
  const validator = await specValidator();
  const where = `${method} ${url.pathname} → ${response.status}`;
  const type = response.headers.get('content-type') ?? '';
  if (method === 'HEAD') return; // no body to check
  if (type.includes('application/json')) {
    const text = await readAll(response);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      violations.push(`${where}: declared JSON but is not: ${text.slice(0, 100)}`);
      return;
    }
    for (const problem of validator.checkJsonResponse(method, url.pathname, response.status, body)) {
      violations.push(`${where}: ${problem}`);
    }
  } else if (type.includes('text/event-stream')) {
    const eventSchema = validator.sseEventSchema(method, url.pathname, response.status);
    const text = await readAll(response);
    for (const event of text.split('\n\n')) {
      const lines = event.split('\n');
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
      if (!data || data === '[DONE]') continue;
      const isError = lines.some((line) => line === 'event: error');
      const validate = isError ? validator.envelope(url.pathname) : eventSchema;
      if (!validate) {
        violations.push(`${where}: the spec names no event schema for this stream`);
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        continue; // an event cut short by an aborted or failed stream
      }
      if (!validate(parsed))
        violations.push(`${where}: SSE event breaks the contract: ${data.slice(0, 200)}`);
    }
  }
}

export function installResponseGuard(): void {
  const original = globalThis.fetch;
  if ((original as { guarded?: boolean }).guarded) return;
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await original(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (gatewayOrigins.has(url.origin)) {
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      pending.push(check(method, url, response.clone()));
    }
    return response;
  };
  globalThis.fetch = Object.assign(guarded, { guarded: true }) as typeof fetch;
}

/** Waits for the checks of the responses seen so far and returns (and clears) their violations. */
export async function takeViolations(): Promise<string[]> {
  const waiting = pending.splice(0);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)));
  await Promise.race([Promise.all(waiting), timeout]);
  clearTimeout(timer);
  return violations.splice(0);
}
