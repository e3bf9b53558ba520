import { once } from 'node:events';
import type { operations } from '../../generated/redaction';
import { bodyLimit } from '../contract/body-limits';
import { SENT, type OperationHandler } from '../contract/handler';
import { GatewayError } from '../errors/catalogue';
import { redactionOf } from './service';
import { FrameTooLargeError, SseRehydrator } from './sse-rehydrator';
import { TextChannel, UnknownTokenError, type ChannelTotals } from './text-channel';

const MAX_UNKNOWN_LISTED = 10_000;

class BodyTooLargeError extends Error {}

/** What a stream does with the text it reads: SSE frames or plain text. */
interface StreamWork {
  push(text: string): void;
  /** Releases held tails after a long silence. */
  idle(): void;
  end(): void;
  totals: ChannelTotals;
}

function plainText(
  resolve: (placeholder: string) => string | null,
  fail: boolean,
  out: (text: string) => void,
): StreamWork {
  const totals: ChannelTotals = { replaced: 0, unknown: [] };
  const channel = new TextChannel(resolve, fail, totals);
  const emit = (text: string) => {
    if (text !== '') out(text);
  };
  return {
    totals,
    push: (text) => emit(channel.push(text)),
    idle: () => emit(channel.flush()),
    end: () => emit(channel.flush()),
  };
}

function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `POST /rehydrate/stream`: reads the body as it arrives (never whole), restores placeholders in
 * it and writes the result back as it goes, in the request's media type.
 */
export const rehydrateStream: OperationHandler<operations['rehydrateStream']> = async ({
  app,
  req,
  res,
  query,
  signal,
  operation,
}) => {
  const { store } = redactionOf(app);
  const limit = bodyLimit(operation);
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    throw new GatewayError('payload_too_large', { detail: `request body is larger than ${limit} bytes` });
  }
  // 404/410 are answered with a status, before the first byte of the stream.
  const reader = store.reader(query.map_handle, query.task_id);
  const fail = (query.on_unknown ?? 'fail') === 'fail';
  const isSse = (req.headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
  res.writeHead(200, {
    'content-type': isSse ? 'text/event-stream; charset=utf-8' : 'text/plain; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();

  let output: string[] = [];
  const collect = (text: string) => output.push(text);
  const work: StreamWork = isSse
    ? (() => {
        const sse = new SseRehydrator(reader.valueOf, fail, collect);
        return {
          totals: sse.totals,
          push: (t) => sse.push(t),
          idle: () => sse.flushText(),
          end: () => sse.end(),
        };
      })()
    : plainText(reader.valueOf, fail, collect);
  const writeOut = async () => {
    if (output.length === 0) return;
    const text = output.join('');
    output = [];
    if (!res.write(text)) await once(res, 'drain', { signal });
  };

  let outcome = 'ok';
  let ended = false;
  /** Ends the stream after a failure: an `error` event on SSE, a cut connection on plain text. */
  const failWith = (failure: unknown) => {
    if (ended) return;
    ended = true;
    output = [];
    if (signal.aborted || res.destroyed) {
      outcome = 'client_gone';
      return;
    }
    if (!isSse) {
      // Plain text has no way to say "failed" but an incomplete response.
      outcome = failure instanceof UnknownTokenError ? 'unknown_tokens' : 'failed';
      res.destroy();
      return;
    }
    const body =
      failure instanceof UnknownTokenError
        ? {
            error: 'unknown_tokens',
            detail: 'the stream contains a placeholder this map never issued; it was ended before it',
          }
        : failure instanceof BodyTooLargeError
          ? { error: 'payload_too_large', detail: `request body is larger than ${limit} bytes` }
          : failure instanceof FrameTooLargeError
            ? { error: 'payload_too_large', detail: failure.message }
            : { error: 'internal_error', detail: 'internal error' };
    outcome = body.error;
    if (body.error === 'internal_error') app.logger.error({ err: failure }, 'rehydrating a stream failed');
    res.end(sseFrame('error', body));
    req.resume();
  };

  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      try {
        work.idle();
        void writeOut().catch(() => undefined);
      } catch (error) {
        failWith(error);
      }
    }, app.config.redaction.streamIdleFlushMs);
  };

  try {
    const decoder = new TextDecoder('utf-8');
    let received = 0;
    armIdle();
    for await (const chunk of req as AsyncIterable<Buffer>) {
      if (ended) continue; // failed during a silence: the rest of the body is drained unread
      armIdle();
      received += chunk.length;
      if (received > limit) throw new BodyTooLargeError();
      work.push(decoder.decode(chunk, { stream: true }));
      await writeOut();
    }
    clearTimeout(idleTimer);
    if (!ended) {
      work.push(decoder.decode());
      work.end();
      await writeOut();
      if (isSse) {
        res.write(
          sseFrame('rehydrate-summary', {
            replaced: work.totals.replaced,
            unknown_tokens: work.totals.unknown.slice(0, MAX_UNKNOWN_LISTED),
          }),
        );
      }
      ended = true;
      res.end();
    }
  } catch (error) {
    clearTimeout(idleTimer);
    failWith(error);
  }
  store.audit({
    operation: 'rehydrate_stream',
    outcome,
    taskId: query.task_id,
    items: 1,
    replaced: work.totals.replaced,
    unknown: work.totals.unknown.length,
  });
  return SENT;
};
