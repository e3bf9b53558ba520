import type { IncomingMessage, ServerResponse } from 'node:http';
import querystring from 'node:querystring';

/**
 * The few request and response helpers the contract layer needs, on Node's own objects: the
 * contract's routes are served ahead of Express, which handles only the pages around them.
 */
const PATH = Symbol('path');
const OPERATION = Symbol('operationId');

type WithPath = IncomingMessage & { [PATH]?: string };
type WithOperation = ServerResponse & { [OPERATION]?: string };

/** The path of the request URL, without its query string. */
export function requestPath(req: IncomingMessage): string {
  const cached = (req as WithPath)[PATH];
  if (cached !== undefined) return cached;
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const path = query >= 0 ? url.slice(0, query) : url;
  (req as WithPath)[PATH] = path;
  return path;
}

/** The query string of the request URL, parsed as Express's "simple" parser does. */
export function requestQuery(req: IncomingMessage): Record<string, string | string[]> {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query >= 0 ? (querystring.parse(url.slice(query + 1)) as Record<string, string | string[]>) : {};
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Records which contract operation answers a response (for metrics and the access log). */
export function setOperationId(res: ServerResponse, operationId: string): void {
  (res as WithOperation)[OPERATION] = operationId;
}

export function operationIdOf(res: ServerResponse): string | undefined {
  return (res as WithOperation)[OPERATION];
}
