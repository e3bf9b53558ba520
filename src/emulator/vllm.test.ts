import { request } from 'undici';
import { isRefused } from './testing';
import { VllmEmulator } from './vllm';

const MODEL = {
  servedName: 'qwen3-4b',
  aliases: ['qwen'],
  root: 'Qwen/Qwen3-4B-Instruct-2507',
  maxModelLen: 4096,
};
const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say something about the cluster.' },
];

interface Chunk {
  object: string;
  choices: {
    index: number;
    delta?: { role?: string; content?: string };
    text?: string;
    finish_reason: string | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

async function post(vllm: VllmEmulator, path: string, body: unknown) {
  const res = await request(`${vllm.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** Splits an SSE body into its `data:` payloads, checking the framing. */
function sseData(text: string): string[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      expect(event.startsWith('data: ')).toBe(true);
      return event.slice('data: '.length);
    });
}

async function metricValue(vllm: VllmEmulator, series: string): Promise<number> {
  const text = await (await request(`${vllm.baseUrl}/metrics`)).body.text();
  const line = text.split('\n').find((l) => l.startsWith(series));
  if (!line) throw new Error(`series ${series} not found`);
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('VllmEmulator serving a model', () => {
  const vllm = new VllmEmulator({ model: MODEL });
  beforeAll(() => vllm.start());
  afterAll(() => vllm.stop());

  test('health, ping, version and models', async () => {
    const health = await request(`${vllm.baseUrl}/health`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.text()).toBe('');
    expect((await request(`${vllm.baseUrl}/ping`)).statusCode).toBe(200);
    expect(await (await request(`${vllm.baseUrl}/version`)).body.json()).toEqual({
      version: expect.any(String),
    });
    const models = (await (await request(`${vllm.baseUrl}/v1/models`)).body.json()) as {
      object: string;
      data: unknown[];
    };
    expect(models.object).toBe('list');
    expect(models.data).toEqual([
      expect.objectContaining({
        id: 'qwen3-4b',
        object: 'model',
        owned_by: 'vllm',
        root: MODEL.root,
        parent: null,
        max_model_len: 4096,
        permission: [],
      }),
      expect.objectContaining({ id: 'qwen', root: MODEL.root }),
    ]);
  });

  test('streamed chat deltas concatenate to the non-streamed answer', async () => {
    const plain = await post(vllm, '/v1/chat/completions', { model: 'qwen3-4b', messages: MESSAGES });
    expect(plain.status).toBe(200);
    const completion = JSON.parse(plain.text);
    expect(completion).toMatchObject({ object: 'chat.completion', model: 'qwen3-4b' });
    expect(completion.choices[0]).toMatchObject({
      index: 0,
      finish_reason: 'stop',
      message: { role: 'assistant' },
    });
    const content: string = completion.choices[0].message.content;
    expect(content.split(' ')).toHaveLength(16);
    expect(completion.usage.completion_tokens).toBe(16);

    const streamed = await post(vllm, '/v1/chat/completions', {
      model: 'qwen',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers['content-type']).toMatch(/^text\/event-stream/);
    const data = sseData(streamed.text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage).toEqual({
      prompt_tokens: completion.usage.prompt_tokens,
      completion_tokens: 16,
      total_tokens: completion.usage.total_tokens,
    });
    const tokenChunks = chunks.slice(1, -1);
    expect(tokenChunks).toHaveLength(16);
    expect(tokenChunks.map((c) => c.choices[0]?.delta?.content).join('')).toBe(content);
    expect(tokenChunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(tokenChunks.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null)).toBe(true);
  });

  test('max_tokens cuts the same answer short with finish_reason "length"', async () => {
    const full = JSON.parse((await post(vllm, '/v1/chat/completions', { messages: MESSAGES })).text);
    const short = JSON.parse(
      (await post(vllm, '/v1/chat/completions', { messages: MESSAGES, max_tokens: 3 })).text,
    );
    expect(short.choices[0].finish_reason).toBe('length');
    expect(short.usage.completion_tokens).toBe(3);
    expect(full.choices[0].message.content.startsWith(short.choices[0].message.content)).toBe(true);
    const other = JSON.parse(
      (await post(vllm, '/v1/chat/completions', { messages: [{ role: 'user', content: 'else' }] })).text,
    );
    expect(other.choices[0].message.content).not.toBe(full.choices[0].message.content);
  });

  test('legacy completions, plain and streamed', async () => {
    const plain = JSON.parse(
      (await post(vllm, '/v1/completions', { model: 'qwen3-4b', prompt: 'Once', max_tokens: 5 })).text,
    );
    expect(plain).toMatchObject({
      object: 'text_completion',
      choices: [{ index: 0, finish_reason: 'length' }],
    });
    const streamed = await post(vllm, '/v1/completions', { prompt: 'Once', max_tokens: 5, stream: true });
    const data = sseData(streamed.text);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(chunks.every((c) => c.object === 'text_completion')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.text).join('')).toBe(plain.choices[0].text);
  });

  test('errors look like vLLM errors', async () => {
    const unknown = await post(vllm, '/v1/chat/completions', { model: 'gpt-4', messages: MESSAGES });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toEqual({
      error: {
        message: 'The model `gpt-4` does not exist.',
        type: 'NotFoundError',
        param: 'model',
        code: 404,
      },
    });
    for (const body of [
      '{"messages": [',
      { model: 'qwen3-4b' },
      { messages: MESSAGES, max_tokens: 0 },
      { messages: MESSAGES, max_tokens: 1.5 },
    ]) {
      const res = await post(vllm, '/v1/chat/completions', body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toEqual({
        error: { message: expect.any(String), type: 'BadRequestError', param: null, code: 400 },
      });
    }
    const tooLong = await post(vllm, '/v1/chat/completions', { messages: MESSAGES, max_tokens: 5000 });
    expect(JSON.parse(tooLong.text).error.message).toMatch(/maximum context length is 4096 tokens/);
    expect((await post(vllm, '/v1/completions', { model: 'qwen3-4b' })).status).toBe(400);
    expect((await request(`${vllm.baseUrl}/nope`)).statusCode).toBe(404);
  });

  test('/metrics carries the real names and follows the traffic', async () => {
    const text = await (await request(`${vllm.baseUrl}/metrics`)).body.text();
    for (const name of [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'vllm:prompt_tokens_total',
      'vllm:generation_tokens_total',
      'vllm:request_success_total',
      'vllm:num_preemptions_total',
      'vllm:time_to_first_token_seconds_bucket',
      'vllm:time_to_first_token_seconds_sum',
      'vllm:time_to_first_token_seconds_count',
      'vllm:inter_token_latency_seconds_bucket',
      'vllm:e2e_request_latency_seconds_count',
    ]) {
      expect(text).toContain(`${name}{engine="0",model_name="qwen3-4b"`);
    }
    const labels = 'engine="0",model_name="qwen3-4b"';
    const before = {
      prompt: await metricValue(vllm, `vllm:prompt_tokens_total{${labels}}`),
      generated: await metricValue(vllm, `vllm:generation_tokens_total{${labels}}`),
      stopped: await metricValue(vllm, `vllm:request_success_total{${labels},finished_reason="stop"}`),
      e2e: await metricValue(vllm, `vllm:e2e_request_latency_seconds_count{${labels}}`),
    };
    const res = JSON.parse((await post(vllm, '/v1/chat/completions', { messages: MESSAGES })).text);
    expect(await metricValue(vllm, `vllm:prompt_tokens_total{${labels}}`)).toBe(
      before.prompt + res.usage.prompt_tokens,
    );
    expect(await metricValue(vllm, `vllm:generation_tokens_total{${labels}}`)).toBe(before.generated + 16);
    expect(await metricValue(vllm, `vllm:request_success_total{${labels},finished_reason="stop"}`)).toBe(
      before.stopped + 1,
    );
    expect(await metricValue(vllm, `vllm:e2e_request_latency_seconds_count{${labels}}`)).toBe(before.e2e + 1);
    expect(await metricValue(vllm, `vllm:num_requests_running{${labels}}`)).toBe(0);
  });

  test('a client that disconnects mid-stream aborts the generation', async () => {
    vllm.tokenIntervalMs = 20;
    const labels = 'engine="0",model_name="qwen3-4b"';
    const abortedBefore = vllm.abortedRequests;
    const controller = new AbortController();
    const res = await request(`${vllm.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: MESSAGES, stream: true }),
      signal: controller.signal,
    });
    const iterator = res.body[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    expect(await metricValue(vllm, `vllm:num_requests_running{${labels}}`)).toBe(1);
    controller.abort();
    await res.body.dump().catch(() => undefined);
    await waitFor(() => vllm.abortedRequests === abortedBefore + 1);
    vllm.tokenIntervalMs = 0;
    expect(await metricValue(vllm, `vllm:num_requests_running{${labels}}`)).toBe(0);
    expect(
      await metricValue(vllm, `vllm:request_success_total{${labels},finished_reason="abort"}`),
    ).toBeGreaterThanOrEqual(1);
  });

  test('a dead engine answers 503 on /health and 500 on inference', async () => {
    vllm.killEngine();
    expect((await request(`${vllm.baseUrl}/health`)).statusCode).toBe(503);
    const res = await post(vllm, '/v1/chat/completions', { messages: MESSAGES });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.text).error.type).toBe('InternalServerError');
  });
});

describe('VllmEmulator model lifecycle', () => {
  const vllm = new VllmEmulator();
  beforeAll(() => vllm.start());
  afterAll(() => vllm.stop());

  test('idle: nothing listens', async () => {
    expect(vllm.state).toBe('idle');
    expect(await isRefused(vllm.baseUrl, '/health')).toBe(true);
    await expect(vllm.waitUntilReady()).rejects.toThrow(/idle/);
  });

  test('while loading the port refuses connections; then the model is served', async () => {
    const lines: string[] = [];
    const unsubscribe = vllm.onLog((line) => lines.push(line));
    await vllm.loadModel({ ...MODEL, servedName: 'big', aliases: [], loadDelayMs: 400 });
    expect(vllm.state).toBe('loading');
    expect(await isRefused(vllm.baseUrl, '/health')).toBe(true);
    await vllm.waitUntilReady(5_000);
    unsubscribe();
    const health = await request(`${vllm.baseUrl}/health`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const models = (await (await request(`${vllm.baseUrl}/v1/models`)).body.json()) as {
      data: { id: string }[];
    };
    expect(models.data.map((m) => m.id)).toEqual(['big']);
    expect((await post(vllm, '/v1/chat/completions', { model: 'qwen3-4b', messages: MESSAGES })).status).toBe(
      404,
    );

    expect(lines.some((l) => /Loading safetensors checkpoint shards: +0% Completed \| 0\/\d+/.test(l))).toBe(
      true,
    );
    expect(
      lines.some((l) => /Loading safetensors checkpoint shards: 100% Completed \| (\d+)\/\1/.test(l)),
    ).toBe(true);
    expect(lines.some((l) => /Model loading took [\d.]+ GiB and [\d.]+ seconds/.test(l))).toBe(true);
    expect(lines.some((l) => /Graph capturing finished in/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes(`Starting vLLM API server 0 on http://0.0.0.0:${vllm.port}`))).toBe(
      true,
    );
    expect(lines.at(-1)).toMatch(/Application startup complete\.$/);
    expect(vllm.logLines().slice(-lines.length)).toEqual(lines);
  });

  test('a failed engine init leaves no listener', async () => {
    await vllm.loadModel({ ...MODEL, failLoad: 'engine-init', loadDelayMs: 50 });
    await expect(vllm.waitUntilReady(5_000)).rejects.toThrow(/Engine core initialization failed/);
    expect(vllm.state).toBe('failed');
    expect(await isRefused(vllm.baseUrl, '/health')).toBe(true);
    expect(vllm.logLines().some((l) => l.includes('Engine core initialization failed'))).toBe(true);
  });

  test('unload closes the port; a new load replaces a pending one', async () => {
    await vllm.loadModel({ ...MODEL, loadDelayMs: 10_000 });
    const pending = vllm.waitUntilReady(20_000);
    await vllm.loadModel({ ...MODEL, servedName: 'second', loadDelayMs: 0 });
    await expect(pending).rejects.toThrow(/cancelled/);
    await vllm.waitUntilReady(1_000);
    expect(vllm.servedNames()[0]).toBe('second');
    await vllm.unload();
    expect(vllm.state).toBe('idle');
    expect(await isRefused(vllm.baseUrl, '/health')).toBe(true);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
