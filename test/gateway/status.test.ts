import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call } from '../helpers/http';

interface Status {
  mode: string;
  emulated: boolean;
  llm: { model: string | null; ready: boolean };
  nodes: { id: string; reachable: boolean }[];
  services: { name: string; status: string; ready: boolean; model: string | null }[];
}

describe('status and discovery on the emulated cluster', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });

  test('/api/status says the cluster is emulated and shows what really answers', async () => {
    const status = (await call(gateway.baseUrl, '/api/status')).json as Status;
    expect(status).toMatchObject({
      mode: 'emulated',
      emulated: true,
      llm: { model: 'test-model', ready: true },
    });
    expect(status.nodes.map((node) => [node.id, node.reachable])).toEqual([
      ['spark1', true],
      ['spark2', true],
    ]);
    expect(status.services.map((service) => [service.name, service.status])).toEqual([
      ['vllm', 'healthy'],
      ['parakeet', 'healthy'],
      ['kokoro', 'healthy'],
      ['embed', 'healthy'],
      ['qdrant', 'healthy'],
    ]);

    await gateway.cluster.parakeet.down();
    try {
      const degraded = (await call(gateway.baseUrl, '/api/status')).json as Status;
      expect(degraded.services.find((service) => service.name === 'parakeet')).toMatchObject({
        status: 'unhealthy',
        ready: false,
        model: null,
      });
      const endpoints = (await call(gateway.baseUrl, '/api/endpoints')).json as {
        endpoints: Record<string, { ready: boolean; base_url: string }>;
      };
      expect(endpoints.endpoints.parakeet?.ready).toBe(false);
      expect(endpoints.endpoints.parakeet?.base_url).toBe(gateway.cluster.services.parakeet.baseUrl);
      expect(endpoints.endpoints.vllm).toEqual({
        base_url: gateway.cluster.services.vllm.baseUrl,
        ready: true,
        model: 'test-model',
        disabled: false,
      });
    } finally {
      await gateway.cluster.parakeet.up();
    }
  });
});

describe('an idle cluster (no model loaded)', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ cluster: { initialModel: null } });
  });
  afterAll(async () => {
    await gateway.close();
  });

  test('is not a failure: no LLM in status or /v1/models, chat answers 502 vllm unreachable', async () => {
    const status = (await call(gateway.baseUrl, '/api/status')).json as Status;
    expect(status.llm).toEqual({ model: null, ready: false });
    const models = await call(gateway.baseUrl, '/v1/models');
    expect(models.status).toBe(200);
    expect(models.headers.get('x-spark-partial')).toBeNull();
    expect(
      (models.json as { data: { owned_by: string }[] }).data.some((model) => model.owned_by === 'vllm'),
    ).toBe(false);
    const chat = await call(gateway.baseUrl, '/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'test-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(502);
    expect((chat.json as { error: { message: string } }).error.message).toBe('vllm unreachable');
  });

  test('a model that finishes loading is served: connections refused during the load, then 200', async () => {
    await gateway.cluster.vllm.loadModel({
      servedName: 'other-model',
      root: 'org/other-model',
      loadDelayMs: 2000,
    });
    const during = await call(gateway.baseUrl, '/v1/models/other');
    expect(during.status).toBe(404);
    await gateway.cluster.vllm.waitUntilReady();
    const after = await call(gateway.baseUrl, '/v1/models/other');
    expect(after.status).toBe(200);
    expect((after.json as { id: string }).id).toBe('other-model');
  });
});

describe('methods', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway.close();
  });

  test('HEAD is answered like GET without a body; other undeclared methods get 405 with Allow', async () => {
    const head = await fetch(`${gateway.baseUrl}/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('application/json');
    expect(await head.text()).toBe('');
    const wrong = await call(gateway.baseUrl, '/api/swap/lock', { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD, POST, DELETE');
    expect(wrong.json).toMatchObject({ code: 'method_not_allowed' });
    const openai = await call(gateway.baseUrl, '/v1/chat/completions', { method: 'GET' });
    expect(openai.status).toBe(405);
    expect(openai.json).toMatchObject({
      error: { code: 'method_not_allowed', type: 'invalid_request_error' },
    });
  });
});
