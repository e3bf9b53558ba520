import { openAsBlob } from 'node:fs';
import { FormData, request, type Dispatcher } from 'undici';
import type { HandlerContext } from '../contract/handler';
import { SENT } from '../contract/handler';
import type { UpstreamBinding } from '../contract/operations';
import { GatewayError } from '../errors/catalogue';
import { errorBody, routeFamily } from '../errors/envelope';
import { clientResponseHeaders, upstreamRequestHeaders } from './headers';
import { ClientGoneError } from './lane';
import { mapUpstreamError } from './map-error';
import { upstreamHttpError } from './upstream-http-error';

const ERROR_BODY_LIMIT = 64 * 1024;

function upstreamPath(binding: UpstreamBinding, params: Record<string, string>, originalUrl: string): string {
  const path = binding.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
  const query = originalUrl.indexOf('?');
  return query >= 0 ? path + originalUrl.slice(query) : path;
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

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size < ERROR_BODY_LIMIT) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, ERROR_BODY_LIMIT).toString('utf8');
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
  const { app, req, res, signal } = context;
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
    release = await lane.acquire(signal);
  } catch (error) {
    if (error instanceof ClientGoneError) {
      res.destroy();
      return SENT;
    }
    throw error;
  }
  try {
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await request(origin + upstreamPath(binding, context.params, req.originalUrl), {
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
        body: await requestBody(context),
        dispatcher: app.upstreams.dispatcher(binding.service),
        signal,
      });
    } catch (error) {
      if (signal.aborted) {
        res.destroy();
        return SENT;
      }
      const mapped = mapUpstreamError(binding.service, error, service.responseTimeoutMs);
      app.metrics.upstreamErrors.inc({ service: binding.service, code: mapped.code });
      throw mapped;
    }

    if (upstream.statusCode >= 400) {
      const text = await readLimited(upstream.body).catch(() => '');
      const retryAfter = upstream.headers['retry-after'];
      const mapped = upstreamHttpError(
        binding.service,
        upstream.statusCode,
        text,
        Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      );
      app.metrics.upstreamErrors.inc({ service: binding.service, code: mapped.code });
      throw mapped;
    }

    await pipeResponse(context, binding, upstream, service.responseTimeoutMs);
    return SENT;
  } finally {
    release();
  }
}

function pipeResponse(
  context: HandlerContext,
  binding: UpstreamBinding,
  upstream: Dispatcher.ResponseData,
  timeoutMs: number,
): Promise<void> {
  const { app, res, signal } = context;
  const contentType = String(upstream.headers['content-type'] ?? '');
  const isEventStream = contentType.startsWith('text/event-stream');
  const headers = clientResponseHeaders(upstream.headers);
  if (isEventStream) {
    headers['cache-control'] = 'no-cache, no-transform';
    headers['x-accel-buffering'] = 'no';
  }
  res.writeHead(upstream.statusCode, headers);
  if (isEventStream) res.flushHeaders();

  return new Promise<void>((resolve) => {
    const body = upstream.body;
    let atEventBoundary = true;
    body.on('data', (chunk: Buffer) => {
      if (isEventStream && chunk.length > 0)
        atEventBoundary =
          chunk.length >= 2 && chunk[chunk.length - 1] === 10 && chunk[chunk.length - 2] === 10;
      if (!res.write(chunk)) {
        body.pause();
        res.once('drain', () => body.resume());
      }
    });
    body.on('end', () => {
      res.end();
      resolve();
    });
    body.on('error', (error: Error) => {
      if (signal.aborted) {
        res.destroy();
        resolve();
        return;
      }
      const mapped = mapUpstreamError(binding.service, error, timeoutMs);
      app.metrics.upstreamErrors.inc({ service: binding.service, code: mapped.code });
      app.logger.warn(
        { requestId: context.requestId, service: binding.service, code: mapped.code },
        'upstream failed mid-response',
      );
      if (isEventStream && !res.writableEnded) {
        const event = JSON.stringify(errorBody(routeFamily(context.req.path), mapped, context.requestId));
        res.end(`${atEventBoundary ? '' : '\n\n'}event: error\ndata: ${event}\n\n`);
      } else {
        res.destroy();
      }
      resolve();
    });
  });
}
