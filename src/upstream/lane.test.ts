import { describe, expect, test } from '@jest/globals';
import { GatewayError } from '../errors/catalogue';
import { createMetrics } from '../observability/metrics';
import { ClientGoneError, Lane } from './lane';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Lane', () => {
  test('admits up to its concurrency, queues the rest in FIFO order', async () => {
    const lane = new Lane('test', { concurrency: 2, queueLimit: 10, retryAfterS: 3 });
    const order: number[] = [];
    const releases = await Promise.all([lane.acquire(), lane.acquire()]);
    const waiting = [3, 4, 5].map((n) => lane.acquire().then((release) => (order.push(n), release)));
    await tick();
    expect(lane.active).toBe(2);
    expect(lane.depth).toBe(3);
    releases[0]!();
    releases[1]!();
    const [r3, r4] = await Promise.all([waiting[0], waiting[1]]);
    expect(order).toEqual([3, 4]);
    r3!();
    const r5 = await waiting[2];
    expect(order).toEqual([3, 4, 5]);
    r4!();
    r5!();
    expect(lane.active).toBe(0);
  });

  test('a full queue answers queue_full with the lane Retry-After', async () => {
    const lane = new Lane('speech', { concurrency: 1, queueLimit: 1, retryAfterS: 30 });
    const release = await lane.acquire();
    const queued = lane.acquire();
    const error = await lane.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('queue_full');
    expect((error as GatewayError).status).toBe(429);
    expect((error as GatewayError).retryAfterS).toBe(30);
    release();
    (await queued)();
  });

  test('a request whose client leaves while queued leaves the queue and frees its place', async () => {
    const metrics = createMetrics();
    const lane = new Lane('tts', { concurrency: 1, queueLimit: 1, retryAfterS: 1 }, metrics);
    const release = await lane.acquire();
    const client = new AbortController();
    const queued = lane.acquire(client.signal);
    expect(lane.depth).toBe(1);
    client.abort();
    await expect(queued).rejects.toBeInstanceOf(ClientGoneError);
    expect(lane.depth).toBe(0);
    const next = lane.acquire();
    release();
    (await next)();
    const text = await metrics.registry.metrics();
    expect(text).toContain('spark_control_lane_rejected_total{lane="tts",reason="client_gone"} 1');
    expect(text).toContain('spark_control_lane_queue_depth{lane="tts"} 0');
  });

  test('release is idempotent', async () => {
    const lane = new Lane('x', { concurrency: 1, queueLimit: 1, retryAfterS: 1 });
    const release = await lane.acquire();
    release();
    release();
    expect(lane.active).toBe(0);
  });
});
