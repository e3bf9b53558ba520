import { openAsBlob } from 'node:fs';
import { FormData, type Dispatcher } from 'undici';
import type { HandlerContext } from '../contract/handler';
import { SENT } from '../contract/handler';
import type { UpstreamBinding } from '../contract/operations';
import { GatewayError } from '../errors/catalogue';
import { errorBody, routeFamily } from '../errors/envelope';
import { requestPath } from '../contract/http';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';
import { ClientGoneError } from './lane';
import { mapUpstreamError } from './map-error';
import { upstreamHttpError } from './upstream-http-error';

const ERROR_BODY_LIMIT = 64 * 1024;

function upstreamPath(binding: UpstreamBinding, params: Record<string, string>, url: string): string {
  const path = binding.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
  const query = url.indexOf('?');
  return query >= 0 ? path + url.slice(query) : path;
}

async function requestBody(context: HandlerContext): Promise<Dispatcher.DispatchOptions['body']> {
  const { operation, upload } = context;
  if (operation.bodyKind === 'json') {
    const service = operation.upstream!.service;
    return context.app.bodyRewriters[service]?.(context) ?? context.rawBody ?? undefined;
  }
  if (operation.bodyKind === 'multipart' && upload) {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
    }
    for (const file of upload.files) {
      // A file-backed Blob: undici streams it from disk, the upload is never read into memory whole.
      form.append(file.field, await openAsBlob(file.path, { type: file.mimeType }), file.filename);
    }
    return form as unknown as Dispatcher.DispatchOptions['body'];
  }
  return undefined;
}

/**
 * Serves a contract operation from its `x-upstream`: admission through the service's lane, the
 * validated body streamed upstream, and the answer streamed back byte for byte. Client aborts
 * propagate upstream; transport failures become catalogue errors; a stream that fails after it
 * started ends with one SSE `error` event (event streams) or a destroyed connection (other bodies).
 */
export async function proxyToUpstream(
  context: HandlerContext,
  binding: UpstreamBinding,
): Promise<typeof SENT> {
  const { app, res } = context;
  const service = app.upstreams.service(binding.service);
  const origin = app.upstreams.origin(binding.service);
  if (service.disabled || !origin) {
    throw new GatewayError('service_disabled', {
      detail: `${binding.service} is disabled or not configured`,
    });
  }
  const lane = app.lanes.get(binding.lane ?? service.lane);
  if (!lane) throw new Error(`no lane named ${binding.lane ?? service.lane}`);

  let release: () => void;
  try {
    release = lane.tryAcquire() ?? (await lane.acquire(context.signal));
  } catch (error) {
    if (error instanceof ClientGoneError) {
      res.destroy();
      return SENT;
    }
    throw error;
  }
  try {
    // During a model swap the LLM gate answers 503 + Retry-After (or holds the request); it also
    // counts the requests in flight so the swap can let them finish.
    const gate = binding.service === 'vllm' ? app.swaps?.gate : undefined;
    const leaveGate = gate ? (gate.tryEnter() ?? (await gate.enter(context.signal))) : undefined;
    try {
      await exchange(context, binding, origin, await requestBody(context), service.responseTimeoutMs);
    } finally {
      leaveGate?.();
    }
    return SENT;
  } finally {
    release();
  }
}

/**
 * One request/response with the upstream through undici's dispatch API: response bytes are written
 * to the client as they arrive (with backpressure), without an intermediate stream object.
 */
function exchange(
  context: HandlerContext,
  binding: UpstreamBinding,
  origin: string,
  body: Dispatcher.DispatchOptions['body'],
  timeoutMs: number,
): Promise<void> {
  const { app, req, res } = context;
  /** The client went away before its response was complete. */
  const clientGone = () => res.destroyed && !res.writableFinished;
  const fail = (error: unknown): GatewayError => {
    const mapped =
      error instanceof GatewayError ? error : mapUpstreamError(binding.service, error, timeoutMs);
    app.metrics.upstreamErrors.inc({ service: binding.service, code: mapped.code });
    // Transport failures are health signals; HTTP errors were reported when their status arrived.
    if (!(error instanceof GatewayError)) {
      app.onUpstreamOutcome?.(binding.service, { ok: false, code: mapped.code, status: null });
    }
    return mapped;
  };

  return new Promise<void>((resolve, reject) => {
    if (clientGone()) {
      res.destroy();
      resolve();
      return;
    }
    let started = false;
    let isEventStream = false;
    let atEventBoundary = true;
    let errorStatus = 0;
    let errorRetryAfter: string | undefined;
    const errorChunks: Buffer[] = [];
    let errorSize = 0;

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        // The client may have left while the request waited for a connection.
        if (clientGone()) {
          controller.abort(new ClientGoneError());
          return;
        }
        res.once('close', () => {
          if (!res.writableFinished) controller.abort(new ClientGoneError());
        });
      },
      onResponseStart(_controller, statusCode, headers) {
        if (statusCode < 200) return; // informational
        app.onUpstreamOutcome?.(
          binding.service,
          statusCode < 500 ? { ok: true } : { ok: false, code: 'upstream_http_error', status: statusCode },
        );
        if (statusCode >= 400) {
          errorStatus = statusCode;
          const retryAfter = headers['retry-after'];
          errorRetryAfter = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
          return;
        }
        isEventStream = String(headers['content-type'] ?? '').startsWith('text/event-stream');
        const out = clientResponseHeaders(headers);
        if (isEventStream) {
          out['cache-control'] = 'no-cache, no-transform';
          out['x-accel-buffering'] = 'no';
        }
        res.writeHead(statusCode, out);
        if (isEventStream) res.flushHeaders();
        started = true;
      },
      onResponseData(controller, chunk) {
        if (errorStatus) {
          if (errorSize < ERROR_BODY_LIMIT) errorChunks.push(chunk);
          errorSize += chunk.length;
          return;
        }
        if (isEventStream) {
          atEventBoundary =
            chunk.length >= 2 && chunk[chunk.length - 1] === 10 && chunk[chunk.length - 2] === 10;
        }
        if (!res.write(chunk)) {
          controller.pause();
          res.once('drain', () => controller.resume());
        }
      },
      onResponseEnd() {
        if (errorStatus) {
          const text = Buffer.concat(errorChunks).subarray(0, ERROR_BODY_LIMIT).toString('utf8');
          reject(fail(upstreamHttpError(binding.service, errorStatus, text, errorRetryAfter)));
          return;
        }
        res.end();
        resolve();
      },
      onResponseError(_controller, error) {
        if (clientGone()) {
          res.destroy();
          resolve();
          return;
        }
        const mapped = fail(error);
        if (!started) {
          reject(mapped);
          return;
        }
        app.logger.warn(
          { requestId: context.requestId, service: binding.service, code: mapped.code },
          'upstream failed mid-response',
        );
        if (isEventStream && !res.writableEnded) {
          const event = JSON.stringify(errorBody(routeFamily(requestPath(req)), mapped, context.requestId));
          res.end(`${atEventBoundary ? '' : '\n\n'}event: error\ndata: ${event}\n\n`);
        } else {
          res.destroy();
        }
        resolve();
      },
    };

    app.upstreams.dispatcher(binding.service).dispatch(
      {
        origin,
        path: upstreamPath(binding, context.params, req.url ?? '/'),
        method: req.method as Dispatcher.HttpMethod,
        headers: upstreamRequestHeaders(
          req.headers,
          {
            'x-request-id': context.requestId,
            'x-forwarded-for': req.socket.remoteAddress ?? '',
            'x-forwarded-proto': 'http',
          },
          context.upload ? ['content-type'] : [],
        ),
        body: body ?? null,
      },
      handler,
    );
  });
}
