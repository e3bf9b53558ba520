import { errors as undiciErrors } from 'undici';
import { GatewayError } from '../errors/catalogue';
import type { ServiceName } from '../config/config';

const REFUSED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Turns a transport failure talking to an upstream into a catalogue error: refused → 503 with
 * Retry-After (502 `vllm unreachable` for vLLM, as the previous product answered), timeout → 504,
 * reset → 502.
 */
export function mapUpstreamError(service: ServiceName, error: unknown, timeoutMs: number): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = errorCode(error);
  if (code && REFUSED.has(code)) {
    return service === 'vllm'
      ? new GatewayError('vllm_unreachable', { cause: error })
      : new GatewayError('upstream_unavailable', {
          detail: `${service} is not accepting connections`,
          cause: error,
        });
  }
  if (
    (code && TIMEOUT.has(code)) ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  ) {
    return new GatewayError('upstream_timeout', {
      detail: `${service} did not answer within ${Math.round(timeoutMs / 1000)} s`,
      cause: error,
    });
  }
  if (code && RESET.has(code)) {
    return new GatewayError('upstream_reset', {
      detail: `the connection to ${service} was reset`,
      cause: error,
    });
  }
  return new GatewayError('upstream_error', { detail: `calling ${service} failed`, cause: error });
}
