import type { IncomingHttpHeaders } from 'node:http';

/** Connection-level headers that must not cross a proxy (RFC 9110 §7.6.1), plus ones the proxy recomputes. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
]);

/**
 * The client's headers to send upstream. `omit` drops headers the proxy re-creates, such as the
 * content type of a multipart body it re-encodes with its own boundary.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  extra: Record<string, string>,
  omit: string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || omit.includes(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  for (const name in extra) out[name] = extra[name]!;
  return out;
}

/** Upstream response headers to copy to the client (content-length stays: the body is passed through unchanged). */
export function clientResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || (HOP_BY_HOP.has(name) && name !== 'content-length') || name === 'x-request-id')
      continue;
    out[name] = value;
  }
  return out;
}
