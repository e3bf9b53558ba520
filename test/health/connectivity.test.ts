import { call, postJson } from '../helpers/http';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { eventually } from './eventually';

interface ConnectivityEvent {
  subject: string;
  at: string;
  transition: 'up' | 'down';
  down_seconds?: number;
  kind: 'transition' | 'report';
  source?: string;
  detail?: string;
  latency_ms?: number | null;
}

interface History {
  macs: Record<string, string | null>;
  current: Record<string, 'up' | 'down'>;
  last_change: Record<string, string>;
  events: ConnectivityEvent[];
}

async function history(gateway: TestGateway, query = ''): Promise<History> {
  const response = await call(gateway.baseUrl, `/api/connectivity${query}`);
  expect(response.status).toBe(200);
  return response.json as History;
}

function untilState(gateway: TestGateway, subject: string, state: 'up' | 'down', timeoutMs = 10_000) {
  return eventually(
    async () => ((await history(gateway)).current[subject] === state ? true : undefined),
    `${subject} ${state}`,
    timeoutMs,
  );
}

describe('connectivity history from the 1 s polls', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { DEEP_HEALTH: '0' } });
  });
  afterAll(() => gateway.close());

  it('records a 2 s outage of parakeet with its duration (±1 s)', async () => {
    await untilState(gateway, 'parakeet', 'up');
    await gateway.cluster.parakeet.down();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await gateway.cluster.parakeet.up();
    const recovery = await eventually(
      async () =>
        (await history(gateway, '?subject=parakeet')).events.find(
          (event) => event.transition === 'up' && event.down_seconds !== undefined,
        ),
      'the up transition that ends the outage',
    );
    expect(recovery.kind).toBe('transition');
    expect(recovery.down_seconds).toBeGreaterThanOrEqual(1);
    expect(recovery.down_seconds).toBeLessThanOrEqual(3);

    const { events, current } = await history(gateway, '?subject=parakeet');
    const down = events.filter((event) => event.transition === 'down' && event.kind === 'transition');
    expect(down).toHaveLength(1);
    expect(down[0]!.detail).toBe('connection refused');
    expect(Date.parse(recovery.at) - Date.parse(down[0]!.at)).toBeCloseTo(recovery.down_seconds! * 1000, -1);
    expect(current.parakeet).toBe('up');
    // The filter keeps other subjects' events out.
    expect(events.every((event) => event.subject === 'parakeet')).toBe(true);
  });

  it('lets one failed health answer pass as a blip, but not two in a row', async () => {
    await untilState(gateway, 'kokoro', 'up');
    const faults = gateway.cluster.kokoro.faults;
    faults.scope = '/health';
    try {
      faults.failNext(1, 503, { detail: 'busy' });
      await eventually(async () => (faults.pendingFailures === 0 ? true : undefined), 'the failed answer');
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(
        (await history(gateway, '?subject=kokoro')).events.filter((e) => e.transition === 'down'),
      ).toEqual([]);

      faults.failNext(3, 503, { detail: 'busy' });
      await untilState(gateway, 'kokoro', 'down');
      await untilState(gateway, 'kokoro', 'up');
    } finally {
      faults.reset();
    }
    const { events } = await history(gateway, '?subject=kokoro');
    const down = events.find((e) => e.transition === 'down')!;
    expect(down.detail).toBe('HTTP 503: busy');
    // Dated from the first failed answer: three failures a second apart make about 3 s down.
    expect(events.at(-1)!.down_seconds).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)!.down_seconds).toBeLessThanOrEqual(4);
  });

  it('tracks nodes by id and lists them in macs', async () => {
    await untilState(gateway, 'spark1', 'up');
    const { macs, current, last_change } = await history(gateway);
    expect(Object.keys(macs).sort()).toEqual(['spark1', 'spark2']);
    expect(current.spark2).toBe('up');
    expect(Number.isNaN(Date.parse(last_change.spark1!))).toBe(false);
  });

  it('exports up/down gauges on /metrics', async () => {
    await untilState(gateway, 'qdrant', 'up');
    const before = await call(gateway.baseUrl, '/metrics');
    expect(before.text).toMatch(/spark_control_service_up\{service="qdrant"\} 1/);
    await gateway.cluster.qdrant.down();
    await untilState(gateway, 'qdrant', 'down');
    const during = await call(gateway.baseUrl, '/metrics');
    expect(during.text).toMatch(/spark_control_service_up\{service="qdrant"\} 0/);
    expect(during.text).toMatch(/spark_control_node_up\{node="spark2"\} 1/);
    await gateway.cluster.qdrant.up();
    await untilState(gateway, 'qdrant', 'up');
  });

  it('answers the newest events up to `limit`, oldest first', async () => {
    const all = (await history(gateway)).events;
    expect(all.length).toBeGreaterThan(2);
    const last2 = (await history(gateway, '?limit=2')).events;
    expect(last2).toEqual(all.slice(-2));
  });
});

describe('vLLM: an outage or an idle cluster', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { DEEP_HEALTH: '0' } });
  });
  afterAll(() => gateway.close());

  it('is down when its container runs but serves nothing, and up (idle) once no model container is left', async () => {
    await untilState(gateway, 'vllm', 'up');
    // The engine process dies inside a running container.
    await gateway.cluster.vllm.unload();
    await untilState(gateway, 'vllm', 'down');
    // The swap engine stops the container: nothing is loaded, which is not a failure.
    await gateway.cluster.docker.stop('vllm_node', 'spark1');
    await untilState(gateway, 'vllm', 'up');
    const { events } = await history(gateway, '?subject=vllm');
    expect(events.at(-1)).toMatchObject({
      transition: 'up',
      source: 'poll',
      detail: 'No model is loaded (idle).',
    });
    expect(events.at(-2)).toMatchObject({ transition: 'down', detail: 'connection refused' });

    // A client calling the idle model does not turn it into an outage.
    const chat = await postJson(gateway.baseUrl, '/v1/chat/completions', {
      model: 'test-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(502);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await history(gateway)).current.vllm).toBe('up');
  });
});

describe('passive signals from proxied traffic', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    // Polls every minute: whatever changes in between was seen in the traffic.
    gateway = await startTestGateway({
      env: { DEEP_HEALTH: '0' },
      configure: (config) => ({ ...config, health: { ...config.health, pollIntervalMs: 60_000 } }),
    });
  });
  afterAll(() => gateway.close());

  it('marks a service down on a refused connection and up on the next answer', async () => {
    await untilState(gateway, 'embed', 'up');
    await gateway.cluster.embed.down();
    const failed = await postJson(gateway.baseUrl, '/v1/embeddings', { input: 'hello', model: 'bge-m3' });
    expect(failed.status).toBe(503);
    const { current, events } = await history(gateway, '?subject=embed');
    expect(current.embed).toBe('down');
    expect(events.at(-1)).toMatchObject({ transition: 'down', kind: 'transition', source: 'traffic' });

    await gateway.cluster.embed.up();
    const answered = await postJson(gateway.baseUrl, '/v1/embeddings', { input: 'hello', model: 'bge-m3' });
    expect(answered.status).toBe(200);
    const after = await history(gateway, '?subject=embed');
    expect(after.current.embed).toBe('up');
    expect(after.events.at(-1)).toMatchObject({ transition: 'up', source: 'traffic' });
    expect(after.events.at(-1)!.down_seconds).toBeGreaterThanOrEqual(0);
  });
});

describe('POST /api/health-event', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ env: { DEEP_HEALTH: '0' } });
  });
  afterAll(() => gateway.close());

  it('keeps an app report as a report, without changing the observed state', async () => {
    await untilState(gateway, 'parakeet', 'up');
    const response = await postJson(gateway.baseUrl, '/api/health-event', {
      service: 'parakeet',
      ok: false,
      source: 'recap-relay',
      error: 'HTTP 503 from /api/audio/diarize-chunk: backend busy',
      ms: 30012,
      chunk: 7,
    });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      ok: true,
      event: {
        subject: 'parakeet',
        transition: 'down',
        kind: 'report',
        source: 'recap-relay',
        detail: 'HTTP 503 from /api/audio/diarize-chunk: backend busy',
        latency_ms: 30012,
      },
    });
    const { current, events } = await history(gateway, '?subject=parakeet');
    expect(current.parakeet).toBe('up');
    expect(events.at(-1)).toEqual((response.json as { event: ConnectivityEvent }).event);
  });

  it('records a success report as `up` and leaves out what was not sent', async () => {
    const response = await postJson(gateway.baseUrl, '/api/health-event', {
      service: 'kokoro',
      ok: true,
      ms: null,
    });
    expect(response.status).toBe(200);
    const { event } = response.json as { event: ConnectivityEvent };
    expect(event).toMatchObject({ subject: 'kokoro', transition: 'up', kind: 'report' });
    expect(event).not.toHaveProperty('source');
    expect(event).not.toHaveProperty('detail');
  });

  it('refuses a report without `ok`', async () => {
    const response = await postJson(gateway.baseUrl, '/api/health-event', { service: 'parakeet' });
    expect(response.status).toBe(400);
  });

  it('survives a restart of the gateway (SQLite)', async () => {
    const restarted = await startTestGateway({ env: { DEEP_HEALTH: '0', DATA_DIR: gateway.dataDir } });
    try {
      const { events } = await history(restarted, '?subject=kokoro');
      expect(events.some((event) => event.kind === 'report' && event.transition === 'up')).toBe(true);
    } finally {
      await restarted.close();
    }
  });
});
