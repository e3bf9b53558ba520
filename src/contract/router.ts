import type { IncomingMessage as Request, ServerResponse as Response } from 'node:http';
import type OpenAPIBackend from 'openapi-backend';
import type { Context } from 'openapi-backend';
import type { AppContext } from '../app-context';
import { GatewayError, isGatewayError } from '../errors/catalogue';
import { sendError } from '../errors/envelope';
import { bodyLimit } from './body-limits';
import { proxyToUpstream } from '../upstream/proxy';
import { createBackend, validationError, type AjvErrorLike } from './backends';
import { bindOperations, type Implementation } from './binding';
import { isSent, type HandlerContext, type HandlerResult, type InProcessHandler } from './handler';
import { typedFormFields } from './form-fields';
import { acceptsAsJson, readJsonBody } from './json-body';
import { spoolMultipart, type MultipartBody } from './multipart-body';
import { listOperations, type OperationInfo } from './operations';
import { RouteTable } from './route-table';
import { DOMAINS, type Domain } from './specs';
import { requestPath, requestQuery, sendJson, setOperationId } from './http';

interface Prepared {
  body: unknown;
  rawBody: Buffer | null;
  upload: MultipartBody | null;
}

/**
 * The headers openapi-backend needs: the ones the operation declares, plus content type and
 * credentials. Handing it every header would make it copy and parse all of them on each request.
 */
function validatedHeaders(req: Request, operation: OperationInfo): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of operation.headerParameters) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  for (const name of ['content-type', 'authorization', 'cookie'] as const) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

const CLIENT_SIGNAL = Symbol('clientSignal');

/**
 * An AbortSignal that fires when the client goes away before its response is complete, made on
 * first use: the proxy watches the connection itself, so most requests never need one.
 */
function clientSignal(res: Response & { [CLIENT_SIGNAL]?: AbortSignal }): AbortSignal {
  let signal = res[CLIENT_SIGNAL];
  if (!signal) {
    const controller = new AbortController();
    signal = controller.signal;
    res[CLIENT_SIGNAL] = signal;
    if (res.closed) {
      if (!res.writableFinished) controller.abort();
    } else {
      res.once('close', () => {
        if (!res.writableFinished) controller.abort();
      });
    }
  }
  return signal;
}

/**
 * Proxied JSON operations without path parameters or security (the LLM and embeddings routes, the
 * gateway's hot path) are validated by calling the operation's compiled validators from its
 * openapi-backend instance directly: the same Ajv functions handleRequest runs, without routing
 * the request a second time and parsing it three times. Everything else goes through handleRequest.
 */
function validatesDirectly(operation: OperationInfo): boolean {
  return (
    operation.upstream !== null &&
    operation.bodyKind === 'json' &&
    !operation.path.includes('{') &&
    !operation.secured
  );
}

function directValidation(
  backend: OpenAPIBackend,
  operation: OperationInfo,
  req: Request,
  body: unknown,
): AjvErrorLike[] | null {
  const validators = backend.validator.getRequestValidatorsForOperation(operation.operationId) ?? [];
  const parameters = {
    path: {},
    query: requestQuery(req),
    header: validatedHeaders(req, operation),
    cookie: {},
    requestBody: body,
  };
  const problems: AjvErrorLike[] = [];
  for (const validate of validators) {
    if (!validate(parameters)) problems.push(...((validate.errors ?? []) as AjvErrorLike[]));
  }
  return problems.length > 0 ? problems : null;
}

async function prepareBody(app: AppContext, operation: OperationInfo, req: Request): Promise<Prepared> {
  const contentType = req.headers['content-type'];
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  switch (operation.bodyKind) {
    case 'none':
      if (hasBody) req.resume();
      return { body: undefined, rawBody: null, upload: null };
    case 'json': {
      if (hasBody && !acceptsAsJson(contentType)) {
        req.resume();
        throw new GatewayError('unsupported_media_type', {
          detail: 'expected a body of type application/json',
        });
      }
      const json = await readJsonBody(req, bodyLimit(operation));
      return { body: json?.value, rawBody: json?.raw ?? null, upload: null };
    }
    case 'multipart': {
      if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) {
        req.resume();
        throw new GatewayError('unsupported_media_type', {
          detail: 'expected a body of type multipart/form-data with a boundary',
        });
      }
      const upload = await spoolMultipart(req, bodyLimit(operation), app.config.uploadDir);
      const missing = operation.requiredFileFields.filter(
        (field) => !upload.files.some((file) => file.field === field),
      );
      if (missing.length > 0) {
        await upload.cleanup();
        throw new GatewayError('validation_failed', {
          detail: `body.${missing[0]}: a file is required`,
          errors: missing.map((field) => ({ location: `body.${field}`, message: 'a file is required' })),
          param: missing[0] ?? null,
        });
      }
      const fields = typedFormFields(upload.fields, operation.formFieldTypes);
      for (const file of upload.files) fields[file.field] = `(file ${file.filename}, ${file.size} bytes)`;
      return { body: fields, rawBody: null, upload };
    }
    case 'stream': {
      // The handler reads the stream itself; only its declared media types get that far.
      const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
      if (!mediaType || !operation.requestMediaTypes.includes(mediaType)) {
        req.resume();
        throw new GatewayError('unsupported_media_type', {
          detail: `expected a body of type ${operation.requestMediaTypes.join(' or ')}`,
        });
      }
      return { body: undefined, rawBody: null, upload: null };
    }
  }
}

function sendResult(
  app: AppContext,
  backend: OpenAPIBackend,
  context: HandlerContext,
  result: HandlerResult,
  fromHandler: boolean,
): void {
  if (isSent(result)) return;
  const { res } = context;
  if (fromHandler) {
    const check = backend.validateResponse(result.body, context.operation.operationId, result.status);
    if (check.errors && check.errors.length > 0) {
      app.logger.error(
        {
          requestId: context.requestId,
          operationId: context.operation.operationId,
          status: result.status,
          problems: check.errors.slice(0, 5),
        },
        'in-process handler response breaks the contract',
      );
      if (app.config.strictResponses) {
        sendError(
          res,
          new GatewayError('response_contract_violation', {
            detail: `${context.operation.operationId} answered a body that breaks its contract`,
          }),
        );
        return;
      }
    }
  }
  sendJson(res, result.status, result.body, result.headers);
}

/**
 * Builds the Express router that serves the whole contract: each operation's route parses its
 * body within limits, hands the request to the domain's openapi-backend (routing, validation,
 * the reserved handlers), then to the bound implementation.
 */
export async function createContractRouter(
  app: AppContext,
  handlers: Record<string, InProcessHandler | undefined>,
) {
  const operations = DOMAINS.flatMap((domain) => listOperations(domain, app.specs[domain]));
  const bindings = bindOperations(operations, handlers);
  const backends = new Map<Domain, OpenAPIBackend>();
  for (const domain of DOMAINS) backends.set(domain, await createBackend(domain, app.specs[domain]));

  for (const operation of operations) {
    const backend = backends.get(operation.domain)!;
    const implementation = bindings.get(operation.operationId) as Implementation;
    backend.register(operation.operationId, async (c: Context, context: HandlerContext) => {
      context.params = c.request.params as Record<string, string>;
      context.query = c.request.query as Record<string, unknown>;
      if (implementation.kind === 'upstream') return proxyToUpstream(context, operation.upstream!);
      return implementation.handler(context);
    });
  }

  const serve = (operation: OperationInfo) => {
    const backend = backends.get(operation.domain)!;
    const fromHandler = bindings.get(operation.operationId)?.kind === 'handler';
    const direct = validatesDirectly(operation);
    return async (req: Request, res: Response) => {
      setOperationId(res, operation.operationId);
      let prepared: Prepared | null = null;
      try {
        prepared = await prepareBody(app, operation, req);
        const context: HandlerContext = {
          app,
          req,
          res,
          requestId: String(res.getHeader('x-request-id')),
          operation,
          params: {},
          query: {},
          body: prepared.body,
          rawBody: prepared.rawBody,
          upload: prepared.upload,
          get signal() {
            return clientSignal(res);
          },
        };
        if (direct) {
          const problems = directValidation(backend, operation, req, prepared.body);
          if (problems) throw validationError(problems);
          await proxyToUpstream(context, operation.upstream!);
          return;
        }
        const outcome = await backend.handleRequest(
          {
            // HEAD is answered as GET without a body (Node drops the body of a HEAD response).
            method: req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET'),
            path: requestPath(req),
            headers: validatedHeaders(req, operation),
            query: requestQuery(req) as Record<string, string>,
            body: prepared.body,
          },
          context,
        );
        if (isGatewayError(outcome)) throw outcome;
        sendResult(app, backend, context, outcome as HandlerResult, fromHandler);
      } catch (error) {
        if (isGatewayError(error)) sendError(res, error);
        else {
          app.logger.error(
            { err: error, requestId: res.getHeader('x-request-id'), operationId: operation.operationId },
            'unexpected error',
          );
          sendError(res, new GatewayError('internal_error'));
        }
      } finally {
        if (prepared?.upload) {
          const upload = prepared.upload;
          if (res.writableFinished || res.destroyed) void upload.cleanup();
          else res.once('close', () => void upload.cleanup());
        }
      }
    };
  };

  const routes = new RouteTable(
    operations.map((operation) => ({
      template: operation.path,
      method: operation.method,
      value: { operation, serve: serve(operation) },
    })),
  );

  /** Serves a request if its path belongs to the contract; returns false to leave it to the pages around it. */
  const handle = (req: Request, res: Response): boolean => {
    const path = requestPath(req);
    const route = routes.match(path);
    if (!route) return false;
    const method = req.method ?? 'GET';
    const bound = RouteTable.valueFor(route, method);
    if (bound) {
      void bound.serve(req, res);
      return true;
    }
    // A known path with a method the contract does not declare: 405 from the owning backend, with Allow.
    req.resume();
    res.setHeader('Allow', route.allow.join(', '));
    const domain = route.byMethod.values().next().value!.operation.domain;
    void backends
      .get(domain)!
      .handleRequest({ method, path, headers: req.headers as Record<string, string> })
      .then((outcome) =>
        sendError(res, isGatewayError(outcome) ? outcome : new GatewayError('method_not_allowed')),
      );
    return true;
  };
  return { handle, operations, backends, bindings };
}
