import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import OpenAI from 'openai';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { specValidator } from '../helpers/spec-validator';

let gateway: TestGateway;
let client: OpenAI;

/** fetch for the SDK that validates every JSON answer and every SSE event against the contract. */
async function checkingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const validator = await specValidator();
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const method = init?.method ?? 'GET';
  const type = response.headers.get('content-type') ?? '';
  const text = await response.clone().text();
  if (type.includes('application/json')) {
    const problems = validator.checkJsonResponse(method, url.pathname, response.status, JSON.parse(text));
    if (problems.length > 0)
      throw new Error(
        `${method} ${url.pathname} ${response.status} breaks the contract: ${problems.join('; ')}`,
      );
  } else if (type.includes('text/event-stream') && url.pathname === '/v1/chat/completions') {
    const chunk = validator.schema('llm', '#/components/schemas/ChatCompletionChunk');
    for (const line of text.split('\n')) {
      if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
      if (!chunk(JSON.parse(line.slice(6)))) throw new Error(`SSE event breaks the contract: ${line}`);
    }
  }
  return response;
}

beforeAll(async () => {
  gateway = await startTestGateway();
  client = new OpenAI({
    baseURL: `${gateway.baseUrl}/v1`,
    apiKey: 'not-needed',
    fetch: checkingFetch,
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
