import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { capturingLogger } from '../helpers/log-capture';
import { call, postJson } from '../helpers/http';

const { logger, lines: logLines } = capturingLogger();

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ logger });
});
afterAll(async () => {
  await gateway.close();
});

describe('health, metrics and the reference', () => {
  test('/health says the gateway is up and running on the emulated cluster', async () => {
    const response = await call(gateway.baseUrl, '/health');
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ status: 'ok', emulated: true, version: expect.any(String) });
  });

  test('/metrics counts requests per operationId, upstream errors and lane depth', async () => {
    const client = new OpenAI({ baseURL: `${gateway.baseUrl}/v1`, apiKey: 'x', maxRetries: 0 });
    await client.chat.completions.create({
      model: 'test-model',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 2,
    });
    gateway.cluster.services.vllm.faults.failNext(1, 500, { error: { message: 'boom' } });
    await client.chat.completions
      .create({ model: 'test-model', messages: [{ role: 'user', content: 'hi' }] })
      .catch(() => undefined);
    const response = await fetch(`${gateway.baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /spark_control_http_requests_total\{operation_id="createChatCompletion",method="POST",status="200"\} [1-9]/,
    );
    expect(text).toMatch(
      /spark_control_http_requests_total\{operation_id="createChatCompletion",method="POST",status="502"\} 1/,
    );
    expect(text).toMatch(
      /spark_control_http_request_duration_seconds_bucket\{le="0.005",operation_id="createChatCompletion"\}/,
    );
    expect(text).toMatch(/spark_control_upstream_errors_total\{service="vllm",code="upstream_error"\} 1/);
    expect(text).toContain('spark_control_lane_queue_depth{lane="speech"} 0');
  });

  test('/docs is a self-hosted Redoc page for the five APIs; no CDN is involved', async () => {
    const page = await fetch(`${gateway.baseUrl}/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<script src="/docs/redoc.standalone.js"></script>');
    expect(html).not.toMatch(/src="https?:/);
    for (const domain of ['control', 'llm', 'audio', 'embeddings', 'redaction'])
      expect(html).toContain(`data-api="${domain}"`);
    const bundle = await fetch(`${gateway.baseUrl}/docs/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
  });

  test('/openapi/<domain>.json serves each bundled spec as generated', async () => {
    for (const domain of ['control', 'llm', 'audio', 'embeddings', 'redaction']) {
      const response = await call(gateway.baseUrl, `/openapi/${domain}.json`);
      expect(response.status).toBe(200);
      const generated = JSON.parse(
        readFileSync(path.join(__dirname, '..', '..', 'generated', `${domain}.json`), 'utf8'),
      ) as unknown;
      expect(response.json).toEqual(generated);
    }
  });
});

describe('structured logs', () => {
  test('one JSON line per request with its request id; bodies of LLM, audio and redaction requests never appear', async () => {
    const secret = 'Ssn 078-05-1120 belongs to Maria Okafor';
    await postJson(gateway.baseUrl, '/scrub', {
      task_id: 't1',
      actor: 'analyst',
      items: [{ id: 'i1', text: secret }],
      known_entities: { persons: ['Maria Okafor'], orgs: [], funds: [], emails: [], locations: [] },
      tier1_action: 'drop',
      bucket: { amounts: false, dates: false },
      ner: 'rules_only',
      map_handle: null,
    });
    await postJson(gateway.baseUrl, '/rehydrate', {
      task_id: 't1',
      map_handle: 'h',
      items: [{ id: 'o1', text: secret }],
    });
    await postJson(gateway.baseUrl, '/v1/chat/completions', {
      model: 'test-model',
      messages: [{ role: 'user', content: secret }],
      max_tokens: 2,
    });
    const form = new FormData();
    form.append('file', new Blob([Buffer.from(secret)], { type: 'audio/wav' }), 'call.wav');
    await fetch(`${gateway.baseUrl}/v1/audio/transcriptions`, {
      method: 'POST',
      body: form,
      headers: { 'x-request-id': 'log-test-1' },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const all = logLines.join('');
    expect(all).not.toContain('078-05-1120');
    expect(all).not.toContain('Okafor');
    const requestLines = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'request');
    expect(requestLines.find((line) => line.requestId === 'log-test-1')).toMatchObject({
      method: 'POST',
      path: '/v1/audio/transcriptions',
      operationId: 'createTranscription',
      status: 200,
    });
  });
});
