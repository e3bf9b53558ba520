import type { ServerResponse } from 'node:http';
import { requestPath, sendJson } from '../contract/http';
import { GatewayError } from './catalogue';

/** Which error envelope a path's clients parse. */
export type RouteFamily = 'openai' | 'redaction' | 'api';

export function routeFamily(path: string): RouteFamily {
  if (path.startsWith('/v1/') || path === '/v1') return 'openai';
  if (
    path === '/scrub' ||
    path.startsWith('/scrub/') ||
    path === '/rehydrate' ||
    path.startsWith('/rehydrate/')
  ) {
    return 'redaction';
  }
  return 'api';
}

export function errorBody(
  family: RouteFamily,
  error: GatewayError,
  requestId: string,
): Record<string, unknown> {
  switch (family) {
    case 'openai':
      return {
        error: { message: error.message, type: error.openaiType, param: error.param, code: error.code },
      };
    case 'redaction':
      return {
        error: error.code,
        detail: error.message,
        ...(error.errors ? { errors: error.errors } : {}),
      };
    case 'api':
      return {
        detail: error.message,
        code: error.code,
        ...(error.errors ? { errors: error.errors } : {}),
        request_id: requestId,
      };
  }
}

/** Writes a catalogue error in the envelope of the request's route family. */
export function sendError(res: ServerResponse, error: GatewayError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const requestId = String(res.getHeader('x-request-id') ?? '');
  const headers: Record<string, string> =
    error.retryAfterS !== undefined ? { 'retry-after': String(error.retryAfterS) } : {};
  sendJson(res, error.status, errorBody(routeFamily(requestPath(res.req)), error, requestId), headers);
}
