import { request } from 'undici';
import type { AppContext } from '../app-context';
import type { ServiceName } from '../config/config';

export interface ProbeResult {
  ok: boolean;
  status: number | null;
  latencyMs: number | null;
  body: unknown;
  error: string | null;
}

/**
 * A short GET to a service for the gateway's own use (status, model lists, probes): an explicit
 * timeout, never the lanes, never throws.
 */
export async function getFromService(
  app: AppContext,
  service: ServiceName,
  path: string,
  timeoutMs: number,
): Promise<ProbeResult> {
  const origin = app.upstreams.origin(service);
  if (!origin || app.upstreams.service(service).disabled) {
    return { ok: false, status: null, latencyMs: null, body: null, error: 'not configured' };
  }
  const started = performance.now();
  try {
    const response = await request(origin + path, {
      method: 'GET',
      dispatcher: app.upstreams.dispatcher(service),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.body.text();
    let body: unknown = text;
    if (String(response.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return {
      ok,
      status: response.statusCode,
      latencyMs: Math.round(performance.now() - started),
      body,
      error: ok ? null : `HTTP ${response.statusCode}`,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).name;
    return {
      ok: false,
      status: null,
      latencyMs: null,
      body: null,
      error: code === 'ECONNREFUSED' ? 'connection refused' : String(code),
    };
  }
}
