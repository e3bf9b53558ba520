import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call } from '../helpers/http';
import { scrub, type ScrubAnswer } from './redaction-client';

let gateway: TestGateway;
let handle: string;
const TASK = 'task-stream';
const IDLE_MS = 300;

beforeAll(async () => {
  gateway = await startTestGateway({
    configure: (config) => ({ ...config, redaction: { ...config.redaction, streamIdleFlushMs: IDLE_MS } }),
  });
  const response = await scrub(gateway, {
    task_id: TASK,
    items: [{ id: 'a', text: 'Maria Okafor of Orangepeak Payments wrote to Jon Bell.' }],
    known_entities: { persons: ['Maria Okafor', 'Jon Bell'], orgs: ['Orangepeak Payments'] },
  });
  expect(response.status).toBe(200);
  handle = (response.json as ScrubAnswer).map_handle;
  // [PERSON_1] Maria Okafor, [ORG_1] Orangepeak Payments, [PERSON_2] Jon Bell
  expect((response.json as ScrubAnswer).items[0]!.scrubbed_text).toBe(
    '[PERSON_1] of [ORG_1] wrote to [PERSON_2].',
  );
});
afterAll(async () => {
  await gateway.close();
});

/**
 * A request body sent piece by piece, each piece only after the gateway has answered something
 * for the previous ones or a short pause: the gateway sees the pieces as separate chunks.
 */
function piecewise(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  return new ReadableStream({
    async pull(controller) {
      if (index >= pieces.length) {
        controller.close();
        return;
      }
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, 15));
      controller.enqueue(encoder.encode(pieces[index++]!));
    },
  });
}

async function streamThrough(
  pieces: string[],
  contentType: string,
  query = '',
): Promise<{ status: number; type: string; text: string }> {
  const response = await call(
    gateway.baseUrl,
    `/rehydrate/stream?task_id=${TASK}&map_handle=${handle}${query}`,
    {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: piecewise(pieces),
      duplex: 'half',
    } as RequestInit,
  );
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: response.text };
}

/** A body that sends `first`, then waits for `sendRest()` before sending `rest` and ending. */
function gatedBody(first: string, rest: string): { body: ReadableStream<Uint8Array>; sendRest: () => void } {
  const encoder = new TextEncoder();
  let sendRest!: () => void;
  const restAllowed = new Promise<void>((resolve) => (sendRest = resolve));
  let step = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      step += 1;
      if (step === 1) controller.enqueue(encoder.encode(first));
      else if (step === 2) {
        await restAllowed;
        controller.enqueue(encoder.encode(rest));
      } else controller.close();
    },
  });
  return { body, sendRest };
}

/** Posts a streamed body to /rehydrate/stream and answers with the live response. */
function postStream(body: ReadableStream<Uint8Array>, contentType: string): Promise<Response> {
  return fetch(`${gateway.baseUrl}/rehydrate/stream?task_id=${TASK}&map_handle=${handle}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** Reads the response body into `received` until `enough` holds (or the body ends). */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  received: string,
  enough: (text: string) => boolean = () => false,
): Promise<string> {
  const decoder = new TextDecoder();
  while (!enough(received)) {
    const { value, done } = await reader.read();
    if (done) break;
    received += decoder.decode(value, { stream: true });
  }
  return received;
}

function frames(text: string): { event: string | null; data: string }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => ({
      event: /^event: (.*)$/m.exec(frame)?.[1] ?? null,
      data: /^data: (.*)$/m.exec(frame)?.[1] ?? '',
    }));
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'claude', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

describe('POST /rehydrate/stream', () => {
  test('OpenAI chunks: placeholders split across frames and inside frames are restored; a summary closes the stream', async () => {
    const body =
      chunk({ role: 'assistant', content: '' }) +
      chunk({ content: 'Ask [PERS' }) +
      chunk({ content: 'ON_1] at **ORG' }) +
      chunk({ content: '_1** and [person_2' }) +
      chunk({ content: '] today.' }) +
      chunk({}, 'stop') +
      'data: [DONE]\n\n';
    // Cut the bytes mid-frame and mid-placeholder too.
    const pieces = [body.slice(0, 150), body.slice(150, 260), body.slice(260, 261), body.slice(261)];
    const { status, type, text } = await streamThrough(pieces, 'text/event-stream');
    expect(status).toBe(200);
    expect(type).toContain('text/event-stream');
    const list = frames(text);
    const content = list
      .filter((frame) => frame.data.startsWith('{') && frame.event === null)
      .map(
        (frame) =>
          (JSON.parse(frame.data) as { choices: { delta: { content?: string } }[] }).choices[0]!.delta
            .content ?? '',
      )
      .join('');
    expect(content).toBe('Ask Maria Okafor at **Orangepeak Payments** and Jon Bell today.');
    expect(text).not.toMatch(/PERSON|ORG_/i);
    const done = list.findIndex((frame) => frame.data === '[DONE]');
    expect(list[done + 1]).toEqual({
      event: 'rehydrate-summary',
      data: JSON.stringify({ replaced: 3, unknown_tokens: [] }),
    });
    expect(list).toHaveLength(done + 2);
    // Other fields pass through unchanged.
    expect(JSON.parse(list[0]!.data)).toMatchObject({ id: 'chatcmpl-1', model: 'claude', created: 1 });
  });

  test('tool-call argument deltas are restored as JSON strings', async () => {
    const body =
      chunk({
        tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'send', arguments: '' } }],
      }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"to": "[PERSON' } }] }) +
      chunk({ tool_calls: [{ index: 0, function: { arguments: '_2]", "org": "[ORG_1]"}' } }] }) +
      chunk({}, 'tool_calls') +
      'data: [DONE]\n\n';
    const { status, text } = await streamThrough([body.slice(0, 300), body.slice(300)], 'text/event-stream');
    expect(status).toBe(200);
    const args = frames(text)
      .filter((frame) => frame.data.startsWith('{') && frame.event === null)
      .map(
        (frame) =>
          (
            JSON.parse(frame.data) as {
              choices: { delta: { tool_calls?: { function?: { arguments?: string } }[] } }[];
            }
          ).choices[0]!.delta.tool_calls?.[0]?.function?.arguments ?? '',
      )
      .join('');
    expect(JSON.parse(args)).toEqual({ to: 'Jon Bell', org: 'Orangepeak Payments' });
  });

  test('Anthropic-style and plain text events', async () => {
    const body =
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Dear [PER' } })}\n\n` +
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'SON_1],' } })}\n\n` +
      `event: content_block_stop\ndata: ${JSON.stringify({ type: 'content_block_stop', index: 0 })}\n\n` +
      `data: ${JSON.stringify({ text: 'from PERSON_2' })}\n\n`;
    const { status, text } = await streamThrough([body.slice(0, 90), body.slice(90)], 'text/event-stream');
    expect(status).toBe(200);
    const list = frames(text).map((frame) => ({
      event: frame.event,
      data: JSON.parse(frame.data) as Record<string, any>,
    }));
    expect(list.map((frame) => frame.data.delta?.text ?? frame.data.text ?? '').join('')).toBe(
      'Dear Maria Okafor,from Jon Bell',
    );
    expect(list.at(-1)).toEqual({ event: 'rehydrate-summary', data: { replaced: 2, unknown_tokens: [] } });
  });

  test('a plain chunked text body comes back as plain text, restored across chunk boundaries', async () => {
    const { status, type, text } = await streamThrough(
      ['Ask [PERSON', '_1] about \\[ORG\\', '_1\\] now.'],
      'text/plain',
    );
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(text).toBe('Ask Maria Okafor about Orangepeak Payments now.');
  });

  test('an unknown placeholder ends the stream with an error event before the frame holding it', async () => {
    const body =
      chunk({ content: 'Fine. ' }) +
      chunk({ content: 'Ask [PERSON_9] and [PERSON_1].' }) +
      'data: [DONE]\n\n';
    const { status, text } = await streamThrough([body], 'text/event-stream');
    expect(status).toBe(200);
    const list = frames(text);
    expect(list.at(-1)!.event).toBe('error');
    expect(JSON.parse(list.at(-1)!.data)).toMatchObject({ error: 'unknown_tokens' });
    expect(text).not.toContain('Maria');
    expect(text).not.toContain('[DONE]');
  });

  test('with on_unknown=report an unknown placeholder passes through and is listed', async () => {
    const body = chunk({ content: 'Ask [PERSON_9] and [PERSON_1].' }) + 'data: [DONE]\n\n';
    const { text } = await streamThrough([body], 'text/event-stream', '&on_unknown=report');
    expect(text).toContain('Ask [PERSON_9] and Maria Okafor.');
    expect(frames(text).at(-1)).toEqual({
      event: 'rehydrate-summary',
      data: JSON.stringify({ replaced: 1, unknown_tokens: ['[PERSON_9]'] }),
    });
  });

  test('an unknown placeholder in a plain text stream cuts the response short', async () => {
    await expect(
      (async () => {
        const response = await fetch(
          `${gateway.baseUrl}/rehydrate/stream?task_id=${TASK}&map_handle=${handle}`,
          {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: 'Ask [PERSON_9] now.',
          },
        );
        return response.text();
      })(),
    ).rejects.toThrow();
  });

  test('output flows while the body is still arriving: the body is never buffered whole', async () => {
    const { body, sendRest } = gatedBody('Hello [PERSON_1], and ', 'bye [ORG_1].');
    const reader = (await postStream(body, 'text/plain')).body!.getReader();
    let received = await readUntil(reader, '', (text) => text.includes('Maria Okafor'));
    // The second half of the body has not been sent yet, and the first is already restored.
    expect(received).toBe('Hello Maria Okafor, and ');
    sendRest();
    received = await readUntil(reader, received);
    expect(received).toBe('Hello Maria Okafor, and bye Orangepeak Payments.');
  });

  test('a held tail is released after a silence, without waiting for more input', async () => {
    const { body, sendRest } = gatedBody('Ask PERSON_1', ' now.');
    const started = Date.now();
    const reader = (await postStream(body, 'text/plain')).body!.getReader();
    let received = await readUntil(reader, '', (text) => text.includes('Maria Okafor'));
    // `PERSON_1` could still have become `PERSON_12`: it was held until the silence ended it.
    expect(received).toBe('Ask Maria Okafor');
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 50);
    sendRest();
    received = await readUntil(reader, received);
    expect(received).toBe('Ask Maria Okafor now.');
  });

  test('an unknown placeholder released by a silence ends the stream with an error event', async () => {
    const { body, sendRest } = gatedBody('data: {"text":"Ask PERSON_9"}\n\n', 'data: {"text":" now"}\n\n');
    const response = await postStream(body, 'text/event-stream');
    const text = await response.text();
    sendRest();
    const list = frames(text);
    expect(list.at(-1)!.event).toBe('error');
    expect(JSON.parse(list.at(-1)!.data)).toMatchObject({ error: 'unknown_tokens' });
    expect(text).not.toContain('PERSON_9');
  });

  test('errors found before the stream starts answer with a status', async () => {
    const other = await call(gateway.baseUrl, `/rehydrate/stream?task_id=someone-else&map_handle=${handle}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '[PERSON_1]',
    });
    expect(other.status).toBe(404);
    expect(other.json).toMatchObject({ error: 'map_not_found' });

    const json = await call(gateway.baseUrl, `/rehydrate/stream?task_id=${TASK}&map_handle=${handle}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
    expect(json.json).toMatchObject({ error: 'unsupported_media_type' });

    const missing = await call(gateway.baseUrl, `/rehydrate/stream?task_id=${TASK}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(missing.status).toBe(400);
  });
});
