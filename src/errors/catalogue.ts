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
  map_not_found: {
    status: 404,
    openaiType: 'invalid_request_error',
    message: 'no map with this handle exists for this task',
  },
  map_expired: { status: 410, openaiType: 'invalid_request_error', message: 'the map has expired' },
  tier1_detected: {
    status: 422,
    openaiType: 'invalid_request_error',
    message: 'Tier-1 identifiers were found; nothing was scrubbed',
  },
  ner_unavailable: {
    status: 422,
    openaiType: 'server_error',
    message: 'the local LLM could not be used for the NER backstop; nothing was scrubbed',
  },
  scrub_verification_failed: {
    status: 422,
    openaiType: 'server_error',
    message: 'a detectable value remained after scrubbing; nothing was returned',
  },
  unknown_tokens: {
    status: 422,
    openaiType: 'invalid_request_error',
    message: 'the text contains placeholders this map never issued',
  },
  catalog_conflict: {
    status: 409,
    openaiType: 'invalid_request_error',
    message: 'the catalog entry cannot be changed that way now',
  },
  node_command_failed: {
    status: 502,
    openaiType: 'server_error',
    message: 'a command on a node failed',
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
  swap_in_progress: {
    status: 409,
    openaiType: 'invalid_request_error',
    message: 'a swap is already running',
  },
  swap_conflict: {
    status: 409,
    openaiType: 'invalid_request_error',
    message: 'the swap cannot be done in the current state',
  },
  swap_lock_held: { status: 409, openaiType: 'invalid_request_error', message: 'the swap lock is held' },
  swap_locked: {
    status: 423,
    openaiType: 'invalid_request_error',
    message: 'swaps are reserved by the lock holder',
  },
  model_swapping: {
    status: 503,
    openaiType: 'server_error',
    message: 'a model swap is in progress; retry later',
    retryAfterS: 30,
  },
  node_not_found: { status: 404, openaiType: 'invalid_request_error', message: 'no such node' },
  node_unreachable: {
    status: 503,
    openaiType: 'server_error',
    message: 'the node cannot be reached over SSH',
    retryAfterS: 10,
  },
  ssh_auth_refused: {
    status: 502,
    openaiType: 'server_error',
    message: "the node refused the controller's SSH key",
  },
  host_key_changed: {
    status: 502,
    openaiType: 'server_error',
    message: "the node's SSH host key changed; re-pin it if the change is legitimate",
  },
  node_command_timeout: {
    status: 504,
    openaiType: 'server_error',
    message: 'the command on the node did not finish in time',
  },
  fingerprint_mismatch: {
    status: 409,
    openaiType: 'invalid_request_error',
    message: 'the node presents a host key with another fingerprint than expected',
  },
  service_action_in_progress: {
    status: 409,
    openaiType: 'invalid_request_error',
    message: 'another action on this service is running',
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
