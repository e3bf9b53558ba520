import type { IncomingMessage } from 'node:http';
import type { operations } from '../../generated/control';
import type { AppContext } from '../app-context';
import { SENT, type DomainHandlers } from '../contract/handler';
import { GatewayError } from '../errors/catalogue';
import type { SwapManager } from './manager';
import type { SwapEvent, SwapLockState } from './types';

const KEEPALIVE_MS = 15_000;

function swapsOf(app: AppContext): SwapManager {
  if (!app.swaps)
    throw new GatewayError('not_implemented', { detail: 'model swaps are not set up in this gateway' });
  return app.swaps;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function lockedBody(requestId: string, lock: SwapLockState) {
  const until = lock.expires_at ? `${lock.expires_at.slice(11, 16)} UTC` : 'it is released';
  return {
    detail: `swaps are reserved by ${lock.holder ?? 'another holder'} until ${until}; send its lock token`,
    code: 'swap_locked',
    request_id: requestId,
    lock,
  };
}

/**
 * The holder a swap runs under, or the 423 answer when the lock is held and the token is missing or
 * wrong (the header wins over the body's `lock_token`, as before).
 */
function lockCheck(swaps: SwapManager, token: string | undefined, requestId: string) {
  const check = swaps.lock.check(token);
  if (!check.held) return { holder: null };
  if (!check.ok) return { locked: { status: 423 as const, body: lockedBody(requestId, swaps.lock.state()) } };
  return { holder: check.holder };
}

/** Control-plane handlers for model swaps, the swap lock and the live settings. */
export const swapHandlers: DomainHandlers<operations> = {
  startSwap: async ({ app, body, req, requestId }) => {
    const swaps = swapsOf(app);
    const token = header(req, 'x-swap-lock-token') ?? body.lock_token;
    const lock = lockCheck(swaps, token, requestId);
    if ('locked' in lock) return lock.locked!;
    const accepted = await swaps.start(body.model, {
      rollbackOnFailure: body.rollback_on_failure,
      lockHolder: lock.holder,
    });
    return { status: 202, body: accepted };
  },

  listSwaps: ({ app, query }) => {
    return { status: 200, body: swapsOf(app).history(query.limit ?? 50, query.state) };
  },

  getSwapJob: ({ app, params }) => {
    const job = swapsOf(app).job(params.job_id);
    if (!job) throw new GatewayError('not_found', { detail: `no swap job ${params.job_id}` });
    return { status: 200, body: job };
  },

  streamSwapEvents: ({ app, params, req, res }) => {
    const swaps = swapsOf(app);
    const lastEventId = Number(header(req, 'last-event-id') ?? '0');
    const after = Number.isSafeInteger(lastEventId) ? lastEventId : 0;
    let keepalive: NodeJS.Timeout | null = null;
    let unsubscribe = () => {};
    const end = () => {
      if (keepalive) clearInterval(keepalive);
      unsubscribe();
      if (!res.writableEnded) res.end();
    };
    const write = (event: SwapEvent) => {
      if (res.writableEnded) return;
      res.write(`event: ${event.type}\nid: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
      if (event.type === 'done' || event.type === 'failed') end();
    };
    const followed = swaps.follow(params.job_id, after, write);
    if (!followed) throw new GatewayError('not_found', { detail: `no swap job ${params.job_id}` });
    unsubscribe = followed.unsubscribe;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    for (const event of followed.replay) write(event);
    if (followed.finished) {
      end();
      return SENT;
    }
    keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    res.once('close', end);
    return SENT;
  },

  rollbackSwap: ({ app, params, req, requestId }) => {
    const swaps = swapsOf(app);
    const lock = lockCheck(swaps, header(req, 'x-swap-lock-token'), requestId);
    if ('locked' in lock) return lock.locked!;
    return { status: 202, body: swaps.rollback(params.job_id, lock.holder) };
  },

  getSwapLock: ({ app }) => ({ status: 200, body: swapsOf(app).lock.state() }),

  acquireSwapLock: ({ app, body, requestId }) => {
    const outcome = swapsOf(app).lock.acquire(body.holder, body.ttl_seconds, body.note, body.token);
    if (outcome.ok) return { status: 200, body: outcome.grant };
    const detail =
      outcome.reason === 'other_holder'
        ? `the swap lock is held by ${outcome.lock.holder}`
        : `the swap lock is held by ${outcome.lock.holder}; send its token to extend it`;
    return {
      status: 409,
      body: { detail, code: 'swap_lock_held', request_id: requestId, lock: outcome.lock },
    };
  },

  releaseSwapLock: ({ app, query, requestId }) => {
    const force = query.force === true;
    if (!force && !query.token) {
      throw new GatewayError('validation_failed', { detail: 'send the lock token, or force=true' });
    }
    const outcome = swapsOf(app).lock.release(query.token, force);
    if (!outcome.ok) {
      return {
        status: 409,
        body: {
          detail: 'the token does not match the swap lock',
          code: 'swap_lock_held',
          request_id: requestId,
          lock: outcome.lock,
        },
      };
    }
    return {
      status: 200,
      body: {
        released: outcome.released,
        forced: outcome.forced,
        previous_holder: outcome.previousHolder,
        lock: outcome.lock,
      },
    };
  },

  getSettings: ({ app }) => ({ status: 200, body: swapsOf(app).settings.view() }),

  updateSettings: ({ app, body }) => {
    const swaps = swapsOf(app);
    if (swaps.busy && ('VLLM_PORT' in body || 'VLLM_CONTAINER' in body)) {
      throw new GatewayError('swap_in_progress', { detail: 'where vLLM lives cannot change during a swap' });
    }
    return { status: 200, body: swaps.settings.update(body) };
  },
};
