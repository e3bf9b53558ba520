import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { GatewayConfig, ServiceName } from '../../src/config/config';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call, postJson } from '../helpers/http';
import { takeViolations } from '../helpers/response-guard';
import { closedPort, ScriptedUpstream } from '../helpers/scripted-upstream';

let upstream: ScriptedUpstream;
let gateway: TestGateway;
let refusedPort: number;

function pointAt(
  config: GatewayConfig,
  service: ServiceName,
  port: number,
  timeoutMs?: number,
): GatewayConfig {
  const current = config.services[service];
  return {
    ...config,
    services: {
      ...config.services,
      [service]: {
        ...current,
        host: '127.0.0.1',
        port,
        ...(timeoutMs ? { responseTimeoutMs: timeoutMs } : {}),
      },
    },
  };
}

beforeAll(async () => {
  upstream = await new ScriptedUpstream().start();
  refusedPort = await closedPort();
  gateway = await startTestGateway({
    configure: (config) =>
      pointAt(
        pointAt(pointAt(config, 'vllm', upstream.port, 1500), 'parakeet', refusedPort),
        'embed',
        upstream.port,
        1500,
      ),
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.stop();
});
afterEach(() => {
  upstream.requests.length = 0;
});

const chat = { model: 'test-model', messages: [{ role: 'user', content: 'hi' }], stream: true };
const sse = (data: object) => `data: ${JSON.stringify(data)}\n\n`;
const chunk = (content: string) =>
  sse({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'test-model',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });

describe('streaming pass-through', () => {
  test('SSE bytes arrive unchanged and unbuffered, split exactly as the upstream wrote them or finer', async () => {
    const parts = [chunk('Hel'), chunk('lo'), chunk(' wor'), chunk('ld'), 'data: [DONE]\n\n'];
    const wire = Buffer.from(parts.join(''));
    // Split the bytes at odd places, including inside an event and inside a multi-byte character.
    const cuts = [7, 40, 41, 95, 160, wire.length];
    upstream.script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let start = 0;
      cuts.forEach((end, index) => {
        setTimeout(() => {
          res.write(wire.subarray(start, end));
          start = end;
          if (index === cuts.length - 1) res.end();
        }, index * 120);
      });
    };
    const started = performance.now();
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chat),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const received: Buffer[] = [];
    const arrivals: number[] = [];
    for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) {
      received.push(Buffer.from(piece));
      arrivals.push(performance.now() - started);
    }
    expect(Buffer.concat(received).equals(wire)).toBe(true);
    // The first bytes reach the client long before the upstream finishes (~600 ms).
    expect(arrivals[0]).toBeLessThan(300);
    expect(arrivals.length).toBeGreaterThanOrEqual(4);
  });

  test('a client that disconnects mid-stream closes the upstream request', async () => {
    let upstreamClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    upstream.script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write(chunk('tick')), 20);
      res.on('close', () => {
        clearInterval(timer);
        upstreamClosed();
      });
    };
    const controller = new AbortController();
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chat),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const outcome = await Promise.race([
      closed.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 2000)),
    ]);
    expect(outcome).toBe('closed');
  });

  test('an upstream failing mid-stream ends the stream with exactly one SSE error event', async () => {
    upstream.script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('partial'));
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chat),
    });
    const text = await response.text();
    expect(text.startsWith(chunk('partial'))).toBe(true);
    const errorEvents = text.split('\n\n').filter((event) => event.startsWith('event: error'));
    expect(errorEvents).toHaveLength(1);
    const data = JSON.parse(errorEvents[0]!.split('\ndata: ')[1]!) as {
      error: { code: string; type: string };
    };
    expect(data.error.code).toBe('upstream_reset');
    expect(data.error.type).toBe('server_error');
  });
});

describe('upstream failures become catalogue errors', () => {
  test('vLLM refusing connections is 502 "vllm unreachable"', async () => {
    const gatewayWithoutVllm = await startTestGateway({
      configure: (config) => pointAt(config, 'vllm', refusedPort),
    });
    try {
      const response = await postJson(gatewayWithoutVllm.baseUrl, '/v1/chat/completions', {
        ...chat,
        stream: false,
      });
      expect(response.status).toBe(502);
      expect(response.json).toEqual({
        error: { message: 'vllm unreachable', type: 'server_error', param: null, code: 'vllm_unreachable' },
      });
    } finally {
      await gatewayWithoutVllm.close();
    }
  });

  test('another upstream refusing connections is 503 with Retry-After', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(1000)], { type: 'audio/wav' }), 'a.wav');
    const response = await call(gateway.baseUrl, '/api/audio/diarize-chunk', { method: 'POST', body: form });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((response.json as { code: string }).code).toBe('upstream_unavailable');
  });

  test('an upstream that does not answer in its time budget is 504', async () => {
    upstream.script = () => undefined; // never answers
    const response = await postJson(gateway.baseUrl, '/v1/chat/completions', { ...chat, stream: false });
    expect(response.status).toBe(504);
    expect((response.json as { error: { code: string } }).error.code).toBe('upstream_timeout');
  });

  test('a connection reset before the answer is 502 upstream_reset', async () => {
    upstream.script = (req) => req.socket.destroy();
    const response = await postJson(gateway.baseUrl, '/v1/embeddings', {
      input: 'hello',
      model: 'BAAI/bge-m3',
    });
    expect(response.status).toBe(502);
    expect((response.json as { error: { code: string } }).error.code).toBe('upstream_reset');
  });

  test('upstream 5xx is 502 with its message; upstream 503 keeps its Retry-After', async () => {
    upstream.script = (_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: 'engine exploded', type: 'InternalServerError', code: 500 } }),
      );
    };
    const failed = await postJson(gateway.baseUrl, '/v1/chat/completions', { ...chat, stream: false });
    expect(failed.status).toBe(502);
    expect((failed.json as { error: { message: string; code: string } }).error).toMatchObject({
      code: 'upstream_error',
      message: expect.stringContaining('engine exploded'),
    });

    upstream.script = (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '42' });
      res.end('{"detail":"loading"}');
    };
    const busy = await postJson(gateway.baseUrl, '/v1/chat/completions', { ...chat, stream: false });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('42');
  });
});

describe('request identity and the forwarded request', () => {
  test('every response carries X-Request-Id; a well-formed client id is kept and passed upstream', async () => {
    upstream.script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'test-model', choices: [] }),
      );
    };
    const body = JSON.stringify({ ...chat, stream: false });
    const response = await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'client-id-123' },
      body,
    });
    expect(response.headers.get('x-request-id')).toBe('client-id-123');
    expect(upstream.requests[0]?.headers['x-request-id']).toBe('client-id-123');
    expect(upstream.requests[0]?.body.toString()).toBe(body);
    const minted = await fetch(`${gateway.baseUrl}/health`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await fetch(`${gateway.baseUrl}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('the contract guard of the test suite', () => {
  test('an upstream answer outside the contract is caught, for JSON and for each SSE event', async () => {
    upstream.script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ unexpected: 'shape' }));
    };
    await postJson(gateway.baseUrl, '/v1/chat/completions', { ...chat, stream: false });
    upstream.script = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${chunk('fine')}data: {"object":"not-a-chunk"}\n\ndata: [DONE]\n\n`);
    };
    await (
      await fetch(`${gateway.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(chat),
      })
    ).text();
    const violations = await takeViolations();
    expect(violations).toEqual([
      expect.stringContaining("POST /v1/chat/completions → 200:  must have required property 'id'"),
      expect.stringContaining(
        'POST /v1/chat/completions → 200: SSE event breaks the contract: {"object":"not-a-chunk"}',
      ),
    ]);
  });
});
