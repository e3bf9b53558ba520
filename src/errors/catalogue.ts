/**
 * The one catalogue of errors the gateway answers with. Codes are stable: clients may branch on
 * them, so a code is never renamed or reused for another meaning.
 */
export interface ErrorSpec {
  readonly status: number;
  /** The `type` of the OpenAI error envelope on `/v1/*`. */
  readonly openaiType: 'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'server_error';
  readonly message: string;
  /** Seconds for `Retry-After`, for errors a client should retry. */
  readonly retryAfterS?: number;
}

export const catalogue = {
  validation_failed: {
    status: 400,
    openaiType: 'invalid_request_error',
    message: 'request failed validation',
  },
  malformed_json: {
    status: 400,
    openaiType: 'invalid_request_error',
    message: 'request body is not valid JSON',
  },
  malformed_multipart: {
    status: 400,
    openaiType: 'invalid_request_error',
    message: 'request body is not valid multipart/form-data',
  },
  unauthorized: { status: 401, openaiType: 'authentication_error', message: 'a valid API key is required' },
  not_found: { status: 404, openaiType: 'invalid_request_error', message: 'no such route' },
  model_not_found: { status: 404, openaiType: 'invalid_request_error', message: 'no such model' },
  method_not_allowed: {
    status: 405,
    openaiType: 'invalid_request_error',
    message: 'this route does not accept that method',
  },
  payload_too_large: {
    status: 413,
    openaiType: 'invalid_request_error',
    message: 'request body is too large',
  },
  unsupported_media_type: {
    status: 415,
    openaiType: 'invalid_request_error',
    message: 'request body has an unsupported media type',
  },
  queue_full: {
    status: 429,
    openaiType: 'rate_limit_error',
    message: 'too many requests are waiting; retry later',
    retryAfterS: 5,
  },
  upstream_rejected: {
    status: 400,
    openaiType: 'invalid_request_error',
    message: 'the upstream service rejected the request',
  },
  internal_error: { status: 500, openaiType: 'server_error', message: 'internal error' },
  response_contract_violation: {
    status: 500,
    openaiType: 'server_error',
    message: 'the gateway produced a response that breaks its own contract',
  },
  not_implemented: {
    status: 501,
    openaiType: 'server_error',
    message: 'this operation is not implemented yet',
  },
  upstream_error: {
    status: 502,
    openaiType: 'server_error',
    message: 'the upstream service answered with an error',
  },
  upstream_reset: {
    status: 502,
    openaiType: 'server_error',
    message: 'the connection to the upstream was reset',
  },
  vllm_unreachable: { status: 502, openaiType: 'server_error', message: 'vllm unreachable' },
  upstream_unavailable: {
    status: 503,
    openaiType: 'server_error',
    message: 'the upstream service is not accepting connections',
    retryAfterS: 10,
  },
  service_disabled: {
    status: 503,
    openaiType: 'server_error',
    message: 'the service is disabled or not configured',
  },
  upstream_timeout: {
    status: 504,
    openaiType: 'server_error',
    message: 'the upstream service did not answer in time',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof catalogue;

export interface ValidationProblem {
  location: string;
  message: string;
}

export interface GatewayErrorOptions {
  detail?: string;
  param?: string | null;
  errors?: ValidationProblem[];
  retryAfterS?: number;
  /** Overrides the catalogue status, for upstream 4xx answers passed on with their own status. */
  status?: number;
  cause?: unknown;
}

/** An error with a catalogue code; the envelope it is rendered in depends on the route family. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | null;
  readonly errors: ValidationProblem[] | undefined;
  readonly retryAfterS: number | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const spec: ErrorSpec = catalogue[code];
    super(options.detail ?? spec.message, { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? spec.status;
    this.param = options.param ?? null;
    this.errors = options.errors;
    this.retryAfterS = options.retryAfterS ?? spec.retryAfterS;
  }

  get openaiType(): string {
    return catalogue[this.code].openaiType;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
