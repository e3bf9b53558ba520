import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../app-context';
import { GatewayError } from '../errors/catalogue';
import type { MultipartBody } from './multipart-body';
import type { OperationInfo } from './operations';

/** Everything an in-process handler gets: the validated request and the app's services. */
export interface HandlerContext<
  Body = unknown,
  Params = Record<string, string>,
  Query = Record<string, unknown>,
> {
  app: AppContext;
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  operation: OperationInfo;
  params: Params;
  query: Query;
  /** The parsed JSON body, or the multipart text fields. */
  body: Body;
  /** The JSON body's bytes as received. */
  rawBody: Buffer | null;
  /** Spooled multipart upload, removed once the response ends. */
  upload: MultipartBody | null;
  /** Aborted when the client disconnects before the response is complete. */
  signal: AbortSignal;
}

/** A JSON answer; the gateway validates it against the operation's response schema before sending. */
export interface JsonResult<Status = number, Body = unknown> {
  status: Status;
  body: Body;
  headers?: Record<string, string>;
}

/** `SENT` means the handler wrote the response itself (streams, text, HTML). */
export interface Sent {
  readonly sent: true;
}
export const SENT: Sent = Object.freeze({ sent: true as const });
export type HandlerResult = JsonResult | Sent;

export function isSent(result: HandlerResult): result is Sent {
  return result === SENT;
}

export type InProcessHandler = (
  context: HandlerContext<any, any, any>,
) => Promise<HandlerResult> | HandlerResult;

// ---- typing handlers from the generated `operations` -------------------------------------------

type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type ResponsesOf<O> = O extends { responses: infer R } ? R : never;
type JsonResultOf<O> = {
  [S in keyof ResponsesOf<O>]: JsonContent<ResponsesOf<O>[S]> extends never
    ? never
    : JsonResult<S, JsonContent<ResponsesOf<O>[S]>>;
}[keyof ResponsesOf<O>];
type RequestJson<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : O extends { requestBody?: { content: { 'multipart/form-data': infer B } } }
      ? { [K in keyof B]?: string | string[] }
      : undefined;
type PathOf<O> = O extends { parameters: { path: infer P } }
  ? P extends Record<string, unknown>
    ? P
    : Record<string, never>
  : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } }
  ? Q extends Record<string, unknown>
    ? Q
    : Record<string, never>
  : never;

/** The JSON body an operation answers with a given status. */
export type ResponseBody<O, S extends keyof ResponsesOf<O>> = JsonContent<ResponsesOf<O>[S]>;

/** A handler typed from a generated operation: request body, params and every JSON response it may return. */
export type OperationHandler<O> = (
  context: HandlerContext<RequestJson<O>, PathOf<O>, QueryOf<O>>,
) => Promise<JsonResultOf<O> | typeof SENT> | JsonResultOf<O> | typeof SENT;

/** A handler map for one domain: every key must be one of its operationIds. */
export type DomainHandlers<Ops> = { [K in keyof Ops]?: OperationHandler<Ops[K]> };

/** A binding that answers 501: it never returns, so it fits any operation's handler type. */
export type NotBuiltHandler = ((context: HandlerContext<any, any, any>) => never) & {
  readonly notBuilt: string;
};

/**
 * Binding for an operation whose capability is not built yet: it answers 501 with a catalogue
 * error, never made-up data.
 */
export function notBuilt(capability: string): NotBuiltHandler {
  const handler = ({ operation }: HandlerContext<any, any, any>): never => {
    throw new GatewayError('not_implemented', {
      detail: `${operation.operationId} is part of the contract but not built yet (${capability})`,
    });
  };
  return Object.assign(handler, { notBuilt: capability });
}

export function isNotBuilt(handler: unknown): boolean {
  return typeof handler === 'function' && 'notBuilt' in handler;
}
