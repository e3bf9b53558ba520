import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway();
  client = new OpenAI({
    baseURL: `${gateway.baseUrl}/v1`,
    apiKey: 'not-needed',
    maxRetries: 0,
  });
});
afterAll(async () => {
  await gateway.close();
});

describe('the official OpenAI SDK against the gateway', () => {
  test('completes a chat request', async () => {
    const completion = await client.chat.completions.create({
      model: 'test-model',
      messages: [{ role: 'user', content: 'Say something.' }],
      max_tokens: 8,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('test-model');
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBe(8);
  });

  test('streams a chat request, and the streamed text equals the non-streamed text', async () => {
    const request = {
      model: 'test-model',
      messages: [{ role: 'user' as const, content: 'Stream please.' }],
      max_tokens: 12,
    };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(usage?.completion_tokens).toBe(12);
  });

  test('rewrites a catalog alias to the served model name', async () => {
    const completion = await client.chat.completions.create({
      model: 'friendly-name',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 2,
    });
    expect(completion.model).toBe('test-model');
  });

  test('an unknown model is a 404 model_not_found in the OpenAI envelope', async () => {
    const error = await client.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });

  test('text completions and the model list work too', async () => {
    const completion = await client.completions.create({
      model: 'test-model',
      prompt: 'Once upon',
      max_tokens: 4,
    });
    expect(completion.choices[0]?.text.length).toBeGreaterThan(0);
    const models = await client.models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toContain('test-model');
    expect(models.data.find((model) => model.id === 'test-model')?.owned_by).toBe('vllm');
    const retrieved = await client.models.retrieve('friendly-name');
    expect(retrieved.id).toBe('test-model');
  });

  test('a validation failure is a 400 the SDK surfaces as BadRequestError', async () => {
    const error = await client.chat.completions
      .create({ model: 'test-model', messages: 'not a list' as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('validation_failed');
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });
});

describe('streams that end early', () => {
  test('vLLM dropping the connection mid-stream reaches the SDK as one error, not a hang', async () => {
    gateway.cluster.services.vllm.faults.dropMidStream(3);
    const stream = await client.chat.completions.create({
      model: 'test-model',
      messages: [{ role: 'user', content: 'This stream will break.' }],
      max_tokens: 12,
      stream: true,
    });
    let received = '';
    const error = await (async () => {
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      code: 'upstream_reset',
      type: 'server_error',
    });
    expect(received.length).toBeGreaterThan(0);
  });

  test('a client that stops reading aborts the generation on vLLM', async () => {
    gateway.cluster.vllm.tokenIntervalMs = 20;
    const before = gateway.cluster.vllm.abortedRequests;
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      {
        model: 'test-model',
        messages: [{ role: 'user', content: 'A long answer please.' }],
        max_tokens: 500,
        stream: true,
      },
      { signal: controller.signal },
    );
    let chunks = 0;
    await (async () => {
      for await (const _chunk of stream) {
        chunks += 1;
        if (chunks === 3) controller.abort();
      }
    })().catch(() => undefined);
    const deadline = Date.now() + 2000;
    while (gateway.cluster.vllm.abortedRequests === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    gateway.cluster.vllm.tokenIntervalMs = 0;
    expect(gateway.cluster.vllm.abortedRequests).toBe(before + 1);
  });
});
