import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call } from '../helpers/http';
import { waitFor } from '../helpers/wait';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({
    configure: (config) => ({
      ...config,
      lanes: { ...config.lanes, speech: { concurrency: 1, queueLimit: 2, retryAfterS: 30 } },
    }),
  });
});
afterAll(async () => {
  await gateway.close();
});

function upload(): FormData {
  const form = new FormData();
  form.append('file', new Blob([Buffer.alloc(32_000)], { type: 'audio/wav' }), 'chunk.wav');
  return form;
}

const transcribe = (signal?: AbortSignal) =>
  fetch(`${gateway.baseUrl}/v1/audio/transcriptions`, {
    method: 'POST',
    body: upload(),
    ...(signal ? { signal } : {}),
  });

const speech = () => gateway.gateway.context.lanes.get('speech')!;

describe('the speech lane', () => {
  test('serialises requests to the speech GPU: concurrent clients never overlap upstream', async () => {
    gateway.cluster.parakeet.processingMs = 150;
    const before = gateway.cluster.parakeet.raceFailures;
    const responses = await Promise.all([transcribe(), transcribe(), transcribe()]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(gateway.cluster.parakeet.raceFailures).toBe(before);
  });

  test('a full queue answers 429 with Retry-After in the route family envelope', async () => {
    gateway.cluster.parakeet.processingMs = 1500;
    const pending = [transcribe(), transcribe(), transcribe()]; // one in flight, two queued
    await waitFor(
      () => speech().active === 1 && speech().depth === 2,
      'one request in flight and two queued',
    );
    const rejected = await call(gateway.baseUrl, '/v1/audio/transcriptions', {
      method: 'POST',
      body: upload(),
    });
    expect(rejected.status).toBe(429);
    expect(rejected.headers.get('retry-after')).toBe('30');
    expect((rejected.json as { error: { code: string; type: string } }).error).toMatchObject({
      code: 'queue_full',
      type: 'rate_limit_error',
    });
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200, 200]);
  });

  test('a client that leaves while queued leaves the queue; depth and wait are metrics', async () => {
    gateway.cluster.parakeet.processingMs = 1000;
    const first = transcribe();
    await waitFor(() => speech().active === 1, 'the first request in flight');
    const leaving = new AbortController();
    const second = transcribe(leaving.signal).catch((error: Error) => error.name);
    await waitFor(() => speech().depth === 1, 'the second request queued');
    leaving.abort();
    expect(await second).toBe('AbortError');
    await waitFor(() => speech().depth === 0, 'the queue to empty');
    expect((await first).status).toBe(200);
    const metrics = await (await fetch(`${gateway.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/spark_control_lane_rejected_total\{lane="speech",reason="client_gone"\} [1-9]/);
    expect(metrics).toMatch(/spark_control_lane_wait_seconds_count\{lane="speech"\} [1-9]/);
    expect(metrics).toContain('spark_control_lane_queue_depth{lane="speech"} 0');
  });
});
