import fc from 'fast-check';
import { rehydrate } from './rehydrate';
import { SseRehydrator } from './sse-rehydrator';
import { TextChannel, UnknownTokenError } from './text-channel';

const MAP: Record<string, string> = {
  '[PERSON_1]': 'Maria Okafor',
  '[PERSON_12]': 'Jon "JB" Bell',
  '[ORG_1]': 'Orangepeak Payments',
};
const resolve = (placeholder: string) => MAP[placeholder] ?? null;

function splitAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let last = 0;
  for (const point of points) {
    pieces.push(text.slice(last, point));
    last = point;
  }
  pieces.push(text.slice(last));
  return pieces;
}

describe('TextChannel', () => {
  it('gives the same text as a whole-text rehydrate, however the text is cut', () => {
    const alphabet = fc.constantFrom(
      '[',
      ']',
      '\\',
      '_',
      ' ',
      'PERSON',
      'ORG',
      '1',
      '2',
      'person',
      'x',
      '*',
      '(',
      ')',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (parts, cuts) => {
          const text = parts.join('');
          const whole = rehydrate(text, resolve);
          const totals = { replaced: 0, unknown: [] as string[] };
          const channel = new TextChannel(resolve, false, totals);
          const out =
            splitAt(text, cuts)
              .map((piece) => channel.push(piece))
              .join('') + channel.flush();
          expect(out).toBe(whole.text);
          expect(totals.replaced).toBe(whole.replaced);
          expect(totals.unknown).toEqual(whole.unknown);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('holds back only what could still become a placeholder', () => {
    const channel = new TextChannel(resolve, false, { replaced: 0, unknown: [] });
    expect(channel.push('Ask [PERS')).toBe('Ask ');
    expect(channel.push('ON_1')).toBe('');
    expect(channel.push('] today')).toBe('Maria Okafor today');
    expect(channel.flush()).toBe('');
  });

  it('fails on a placeholder the map never issued', () => {
    const channel = new TextChannel(resolve, true, { replaced: 0, unknown: [] });
    expect(() => channel.push('Ask [PERSON_7] now')).toThrow(UnknownTokenError);
  });
});

function chunk(content: string, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null, ...extra }] })}\n\n`;
}

function run(input: string[], fail = true): { out: string; sse: SseRehydrator } {
  let out = '';
  const sse = new SseRehydrator(resolve, fail, (text) => (out += text));
  for (const piece of input) sse.push(piece);
  sse.end();
  return { out, sse };
}

function events(out: string): { event: string | null; data: string }[] {
  return out
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => ({
      event: /^event: (.*)$/m.exec(frame)?.[1] ?? null,
      data: /^data: (.*)$/m.exec(frame)?.[1] ?? '',
    }));
}

function contentOf(out: string): string {
  return events(out)
    .filter((event) => event.data.startsWith('{'))
    .map(
      (event) =>
        (JSON.parse(event.data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta
          ?.content ?? '',
    )
    .join('');
}

describe('SseRehydrator', () => {
  it('restores a placeholder split across frames, and across network chunks inside a frame', () => {
    const stream = chunk('Ask [PERS') + chunk('ON_1] and [ORG') + chunk('_1] today.') + 'data: [DONE]\n\n';
    for (const [body, cuts] of [
      [stream, []],
      [stream, [3, 40, 41, 120]],
      [stream, [...Array(stream.length).keys()]],
      [stream.replaceAll('\n', '\r\n'), [...Array(stream.length * 2).keys()]],
    ] as const) {
      const { out, sse } = run(splitAt(body, [...cuts]));
      expect(contentOf(out)).toBe('Ask Maria Okafor and Orangepeak Payments today.');
      expect(out.trimEnd().endsWith('data: [DONE]')).toBe(true);
      expect(sse.totals.replaced).toBe(2);
    }
  });

  it('keeps the other fields and event names, and CRLF frames', () => {
    const { out } = run([`id: 7\r\nevent: custom\r\ndata: {"text":"Hi [PERSON_1]","n":3}\r\n\r\n`]);
    expect(out).toBe('id: 7\nevent: custom\ndata: {"text":"Hi Maria Okafor","n":3}\n\n');
  });

  it('releases the held tail before the finish and never after it', () => {
    const { out } = run([chunk('Bye PERSON_1'), chunk('', { finish_reason: 'stop' }), 'data: [DONE]\n\n']);
    const list = events(out);
    const finish = list.findIndex((event) => event.data.includes('"stop"'));
    expect(contentOf(out)).toBe('Bye Maria Okafor');
    expect(list.slice(finish + 1).every((event) => !event.data.includes('Maria'))).toBe(true);
  });

  it('restores tool-call arguments as JSON once the call is complete', () => {
    const toolChunk = (args: string, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...extra, function: { arguments: args } }] } }] })}\n\n`;
    const { out } = run([
      toolChunk('{"to": "[PERS', { id: 'call_1', type: 'function' }),
      toolChunk('ON_12]", "cc": "PERSON_1"}'),
      `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })}\n\n`,
    ]);
    const args = events(out)
      .map(
        (event) =>
          JSON.parse(event.data) as {
            choices: { delta: { tool_calls?: { function: { arguments: string } }[] } }[];
          },
      )
      .map((event) => event.choices[0]!.delta.tool_calls?.[0]?.function.arguments ?? '')
      .join('');
    expect(JSON.parse(args)).toEqual({ to: 'Jon "JB" Bell', cc: 'Maria Okafor' });
  });

  it('restores Anthropic text and input_json deltas', () => {
    const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    const { out } = run([
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'Hello [PER' },
      }),
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'SON_1]' },
      }),
      event('content_block_stop', { type: 'content_block_stop', index: 0 }),
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"org":"[ORG_' },
      }),
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '1]"}' },
      }),
      event('content_block_stop', { type: 'content_block_stop', index: 1 }),
      event('message_stop', { type: 'message_stop' }),
    ]);
    const list = events(out).map((entry) => ({
      event: entry.event,
      data: JSON.parse(entry.data) as Record<string, any>,
    }));
    const text = list.map((entry) => entry.data.delta?.text ?? '').join('');
    const json = list.map((entry) => entry.data.delta?.partial_json ?? '').join('');
    expect(text).toBe('Hello Maria Okafor');
    expect(JSON.parse(json)).toEqual({ org: 'Orangepeak Payments' });
    expect(list.every((entry) => entry.event !== null)).toBe(true);
    expect(list.at(-1)!.event).toBe('message_stop');
  });

  it('stops before the frame holding a placeholder the map never issued', () => {
    let out = '';
    const sse = new SseRehydrator(resolve, true, (text) => (out += text));
    sse.push(chunk('Fine so far. '));
    expect(() => sse.push(chunk('Ask [PERSON_9] now'))).toThrow(UnknownTokenError);
    expect(out).not.toContain('PERSON_9');
  });

  it('passes unknown placeholders through and lists them in report mode', () => {
    const { out, sse } = run([chunk('Ask [PERSON_9] and [PERSON_1]')], false);
    expect(contentOf(out)).toBe('Ask [PERSON_9] and Maria Okafor');
    expect(sse.totals.unknown).toEqual(['[PERSON_9]']);
  });
});
