import { request } from 'undici';
import { QdrantEmulator } from './qdrant';
import { isRefused } from './testing';
import { VllmEmulator } from './vllm';

describe('fault injection', () => {
  const qdrant = new QdrantEmulator();
  const vllm = new VllmEmulator({ model: { servedName: 'm', root: 'org/m' } });
  beforeAll(() => Promise.all([qdrant.start(), vllm.start()]));
  afterAll(() => Promise.all([qdrant.stop(), vllm.stop()]));
  afterEach(() => {
    qdrant.faults.reset();
    vllm.faults.reset();
  });

  const get = async (path: string) => {
    const res = await request(`${qdrant.baseUrl}${path}`);
    return { status: res.statusCode, text: await res.body.text() };
  };

  test('latency is added before the answer', async () => {
    qdrant.faults.latencyMs = 120;
    const startedAt = performance.now();
    expect((await get('/healthz')).status).toBe(200);
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(110);
  });

  test('failNext answers the next N requests with the given status, then recovers', async () => {
    qdrant.faults.failNext(2, 503, { status: { error: 'shard unavailable' } });
    expect(await get('/collections')).toEqual({
      status: 503,
      text: '{"status":{"error":"shard unavailable"}}',
    });
    expect((await get('/collections')).status).toBe(503);
    expect((await get('/collections')).status).toBe(200);
    qdrant.faults.failNext(1);
    expect((await get('/')).status).toBe(500);
    expect(qdrant.faults.pendingFailures).toBe(0);
  });

  test('scope limits faults to a path prefix', async () => {
    qdrant.faults.scope = '/collections';
    qdrant.faults.failNext(1, 502);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/collections')).status).toBe(502);
  });

  test('dropMidStream destroys the next stream after N chunks, without a clean end', async () => {
    vllm.faults.dropMidStream(3);
    const res = await request(`${vllm.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    expect(res.statusCode).toBe(200);
    let received = '';
    await expect(
      (async () => {
        for await (const chunk of res.body) received += (chunk as Buffer).toString('utf8');
      })(),
    ).rejects.toThrow();
    expect(received.split('\n\n').filter(Boolean)).toHaveLength(3);
    expect(received).not.toContain('[DONE]');
    expect(vllm.abortedRequests).toBe(0);

    const next = await request(`${vllm.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    expect(await next.body.text()).toContain('data: [DONE]');
  });

  test('hang accepts the request and never answers, so the client times out', async () => {
    qdrant.faults.hang = true;
    await expect(request(`${qdrant.baseUrl}/healthz`, { headersTimeout: 150 })).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    qdrant.faults.reset();
    expect((await get('/healthz')).status).toBe(200);
  });
});

describe('HttpService down and up', () => {
  test('a service that goes down refuses connections and comes back on the same port', async () => {
    const qdrant = new QdrantEmulator();
    await qdrant.start();
    const port = qdrant.port;
    await qdrant.down();
    expect(qdrant.isUp).toBe(false);
    expect(await isRefused(qdrant.baseUrl)).toBe(true);
    await qdrant.up();
    expect(qdrant.port).toBe(port);
    expect((await request(`${qdrant.baseUrl}/readyz`)).statusCode).toBe(200);
    await qdrant.stop();
    await qdrant.up();
    expect(await isRefused(qdrant.baseUrl)).toBe(true);
  });

  test('down destroys open connections, including hung requests', async () => {
    const qdrant = new QdrantEmulator();
    await qdrant.start();
    qdrant.faults.hang = true;
    const pending = request(`${qdrant.baseUrl}/healthz`, { headersTimeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await qdrant.stop();
    await expect(pending).rejects.toThrow();
  });
});
