import { FormData, request } from 'undici';
import type { AppContext } from '../app-context';
import type { ServiceName } from '../config/config';

export interface CallResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  /** Parsed JSON when the service answered JSON, else the raw bytes. */
  body: unknown;
  bytes: number;
  /** Plain words: `connection refused`, `HTTP 500: …`, `timed out`. */
  error: string | null;
  /** Nothing listens on the port (the process is not running). */
  refused: boolean;
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  path: string;
  json?: unknown;
  form?: FormData;
  timeoutMs: number;
}

const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return (error as Error)?.name ?? 'error';
}

function describe(code: string): string {
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code.includes('TIMEOUT') || code === 'TimeoutError' || code === 'AbortError') return 'timed out';
  return code;
}

/**
 * One health call to a service: an explicit timeout, the service's own connection pool (addressed
 * by its configured IPv4 address), never the admission lanes, never throws.
 */
export async function callService(
  app: AppContext,
  service: ServiceName,
  options: CallOptions,
): Promise<CallResult> {
  const origin = app.upstreams.origin(service);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!origin) {
    return {
      ok: false,
      status: null,
      latencyMs: 0,
      body: null,
      bytes: 0,
      error: 'not configured',
      refused: false,
    };
  }
  try {
    const response = await request(origin + options.path, {
      method: options.method ?? 'GET',
      dispatcher: app.upstreams.dispatcher(service),
      headers: options.json === undefined ? {} : { 'content-type': 'application/json' },
      body: options.form ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const raw = Buffer.from(await response.body.arrayBuffer());
    let body: unknown = raw;
    if (String(response.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = null;
      }
    }
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    const detail = ok ? null : errorDetail(body, raw);
    return {
      ok,
      status: response.statusCode,
      latencyMs: elapsed(),
      body,
      bytes: raw.length,
      error: ok ? null : `HTTP ${response.statusCode}${detail ? `: ${detail}` : ''}`,
      refused: false,
    };
  } catch (error) {
    const code = errorCode(error);
    return {
      ok: false,
      status: null,
      latencyMs: elapsed(),
      body: null,
      bytes: 0,
      error: describe(code),
      refused: REFUSED_CODES.has(code),
    };
  }
}

/** The upstream's own words about an error, shortened (FastAPI `detail`, TEI/OpenAI `error`). */
function errorDetail(body: unknown, raw: Buffer): string | null {
  const record = body as { detail?: unknown; error?: unknown } | null;
  const candidate =
    typeof record?.detail === 'string'
      ? record.detail
      : typeof record?.error === 'string'
        ? record.error
        : typeof (record?.error as { message?: unknown })?.message === 'string'
          ? String((record!.error as { message: string }).message)
          : Buffer.isBuffer(body)
            ? raw.toString('utf8')
            : null;
  return candidate ? candidate.trim().slice(0, 300) : null;
}
