import { GatewayError } from '../errors/catalogue';
import type { ServiceName } from '../config/config';

const MESSAGE_LIMIT = 1000;

/** Finds the human message in the error bodies upstreams send (OpenAI, FastAPI, TEI, Qdrant shapes). */
export function upstreamMessage(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const trimmed = text.trim();
    return trimmed ? trimmed.slice(0, MESSAGE_LIMIT) : null;
  }
  const candidates: unknown[] = [];
  const body = parsed as Record<string, unknown> | null;
  if (body && typeof body === 'object') {
    const error = body.error as Record<string, unknown> | string | undefined;
    const detail = body.detail as Record<string, unknown> | string | undefined;
    const status = body.status as Record<string, unknown> | undefined;
    candidates.push(
      typeof error === 'object' ? error?.message : error,
      typeof detail === 'object' && !Array.isArray(detail) ? detail?.message : undefined,
      typeof detail === 'string' ? detail : undefined,
      Array.isArray(detail) ? JSON.stringify(detail) : undefined,
      typeof status === 'object' ? status?.error : undefined,
      body.message,
    );
  }
  const message = candidates.find((value): value is string => typeof value === 'string' && value.length > 0);
  return message ? message.slice(0, MESSAGE_LIMIT) : null;
}

/**
 * Maps an upstream's HTTP error answer into the catalogue, keeping its message: client errors keep
 * their meaning (404, 413, 415, 429; other 4xx become 400), 503 stays retryable, other 5xx are 502.
 */
export function upstreamHttpError(
  service: ServiceName,
  status: number,
  bodyText: string,
  retryAfter: string | undefined,
): GatewayError {
  const message = upstreamMessage(bodyText);
  const retryAfterS = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (status === 404 && service === 'vllm') {
    return new GatewayError('model_not_found', { detail: message ?? 'no such model', param: 'model' });
  }
  if (status >= 400 && status < 500) {
    const kept = [404, 413, 415, 429].includes(status) ? status : 400;
    return new GatewayError('upstream_rejected', {
      status: kept,
      detail: `${service} rejected the request${message ? `: ${message}` : ''}`,
      ...(retryAfterS !== undefined ? { retryAfterS } : {}),
    });
  }
  if (status === 503) {
    return new GatewayError('upstream_unavailable', {
      detail: `${service} is unavailable${message ? `: ${message}` : ''}`,
      ...(retryAfterS !== undefined ? { retryAfterS } : {}),
    });
  }
  return new GatewayError('upstream_error', {
    detail: `${service} answered ${status}${message ? `: ${message}` : ''}`,
  });
}
