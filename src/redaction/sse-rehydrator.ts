import { rehydrate, type Resolve } from './rehydrate';
import { TextChannel, UnknownTokenError, type ChannelTotals } from './text-channel';

type Json = Record<string, unknown>;

interface Frame {
  /** The frame's lines other than `data:`, in order, with the data's position marked by null. */
  lines: (string | null)[];
  event: string | null;
  data: string | null;
}

/** A text channel and how to wrap released text in a frame of its kind. */
interface OpenChannel {
  text: TextChannel;
  frame: (text: string) => string;
}

/** Tool-call arguments, held whole until the call is complete. */
interface OpenTool {
  arguments: string;
  frame: (args: string) => string;
}

/** Longest frame accepted: a stream without frame boundaries is not an event stream. */
const MAX_FRAME_CHARS = 8 * 1024 * 1024;

export class FrameTooLargeError extends Error {
  constructor() {
    super(`an event stream frame is longer than ${MAX_FRAME_CHARS} characters`);
    this.name = 'FrameTooLargeError';
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function serialize(event: string | null, data: unknown): string {
  return `${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

function parseFrame(raw: string): Frame {
  const lines: (string | null)[] = [];
  const data: string[] = [];
  let event: string | null = null;
  for (const line of raw.split('\n')) {
    if (line.startsWith('data:')) {
      if (data.length === 0) lines.push(null);
      data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      continue;
    }
    if (line.startsWith('event:')) event = line.slice(6).trim();
    lines.push(line);
  }
  return { lines, event, data: data.length > 0 ? data.join('\n') : null };
}

function render(frame: Frame, data: string | null): string {
  const lines = frame.lines.map((line) => (line === null ? `data: ${data ?? ''}` : line));
  return `${lines.join('\n')}\n\n`;
}

/** Top-level fields of an OpenAI chunk other than its choices (id, model, created…). */
function chunkHeader(chunk: Json): Json {
  const { choices: _choices, usage: _usage, ...rest } = chunk;
  return rest;
}

/**
 * Rehydrates a server-sent event stream frame by frame: OpenAI chat/completions chunks
 * (`choices[].delta.content`, `choices[].text`, tool-call argument deltas), Anthropic events
 * (`content_block_delta` with `text_delta` or `input_json_delta`) and plain `{"text": …}` events.
 * Every other field, event name and frame passes through unchanged.
 */
export class SseRehydrator {
  readonly totals: ChannelTotals = { replaced: 0, unknown: [] };
  private readonly resolve: Resolve;
  private readonly failOnUnknown: boolean;
  private readonly emit: (text: string) => void;
  private readonly channels = new Map<string, OpenChannel>();
  private readonly tools = new Map<string, OpenTool>();
  private buffer = '';
  private pendingCr = '';

  constructor(resolve: Resolve, failOnUnknown: boolean, emit: (text: string) => void) {
    this.resolve = resolve;
    this.failOnUnknown = failOnUnknown;
    this.emit = emit;
  }

  /** Feeds decoded text from the body; complete frames are processed, a partial one is kept. */
  push(text: string): void {
    // Line endings are normalised as text arrives; a `\r` at the end may still be half of `\r\n`.
    let incoming = this.pendingCr + text;
    this.pendingCr = '';
    if (incoming.endsWith('\r')) {
      this.pendingCr = '\r';
      incoming = incoming.slice(0, -1);
    }
    // Only the new text (and the newline before it) can complete a frame boundary.
    const searchFrom = Math.max(0, this.buffer.length - 1);
    this.buffer += incoming.replace(/\r\n?/g, '\n');
    let start = 0;
    let boundary = this.buffer.indexOf('\n\n', searchFrom);
    while (boundary >= 0) {
      this.processFrame(this.buffer.slice(start, boundary));
      start = boundary + 2;
      boundary = this.buffer.indexOf('\n\n', start);
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > MAX_FRAME_CHARS) throw new FrameTooLargeError();
  }

  /** The end of the body: a last unterminated frame, then every held tail and tool call. */
  end(): void {
    const rest = (this.buffer + this.pendingCr).replace(/\r\n?/g, '\n').replace(/\n+$/, '');
    this.buffer = '';
    this.pendingCr = '';
    if (rest.trim() !== '') this.processFrame(rest);
    this.flushAll();
  }

  /** Releases every held tail (idle stream); tool calls stay held until they are complete. */
  flushText(): void {
    for (const channel of this.channels.values()) this.flushChannel(channel);
  }

  private flushAll(): void {
    this.flushText();
    for (const key of [...this.tools.keys()]) this.flushTool(key);
  }

  private flushChannel(channel: OpenChannel): void {
    if (!channel.text.pending) return;
    const released = channel.text.flush();
    if (released !== '') this.emit(channel.frame(released));
  }

  private flushTool(key: string): void {
    const tool = this.tools.get(key);
    if (!tool) return;
    this.tools.delete(key);
    if (tool.arguments === '') return;
    const result = rehydrate(tool.arguments, this.resolve, {
      escape: (value) => JSON.stringify(value).slice(1, -1),
    });
    if (result.unknown.length > 0) {
      if (this.failOnUnknown) throw new UnknownTokenError(result.unknown[0]!);
      this.totals.unknown.push(...result.unknown);
    }
    this.totals.replaced += result.replaced;
    this.emit(tool.frame(result.text));
  }

  private channel(key: string, frame: (text: string) => string): TextChannel {
    let channel = this.channels.get(key);
    if (!channel) {
      channel = { text: new TextChannel(this.resolve, this.failOnUnknown, this.totals), frame };
      this.channels.set(key, channel);
    } else {
      channel.frame = frame;
    }
    return channel.text;
  }

  private holdTool(key: string, piece: string, frame: (args: string) => string): void {
    const tool = this.tools.get(key) ?? { arguments: '', frame };
    tool.arguments += piece;
    this.tools.set(key, tool);
  }

  private flushPrefix(prefix: string): void {
    for (const [key, channel] of this.channels) if (key.startsWith(prefix)) this.flushChannel(channel);
    for (const key of [...this.tools.keys()]) if (key.startsWith(prefix)) this.flushTool(key);
  }

  private processFrame(raw: string): void {
    if (raw.trim() === '') return;
    const frame = parseFrame(raw);
    let payload: unknown;
    try {
      payload = frame.data === null ? undefined : JSON.parse(frame.data);
    } catch {
      payload = undefined;
    }
    if (!isObject(payload)) {
      // `[DONE]`, comments and other non-JSON frames end whatever is still held.
      this.flushAll();
      this.emit(render(frame, frame.data));
      return;
    }
    const carriesText = Array.isArray(payload.choices)
      ? this.openAiChunk(frame, payload)
      : this.otherEvent(frame, payload);
    if (!carriesText) this.flushText();
    this.emit(render(frame, JSON.stringify(payload)));
  }

  /** Rehydrates an OpenAI chunk in place; returns whether it carried text. */
  private openAiChunk(frame: Frame, chunk: Json): boolean {
    const header = chunkHeader(chunk);
    let carriesText = false;
    (chunk.choices as unknown[]).forEach((choice, position) => {
      if (!isObject(choice)) return;
      const index = typeof choice.index === 'number' ? choice.index : position;
      const textFrame = (field: string, inDelta: boolean) => (text: string) =>
        serialize(frame.event, {
          ...header,
          choices: [
            inDelta
              ? { index, delta: { [field]: text }, finish_reason: null }
              : { index, [field]: text, finish_reason: null },
          ],
        });
      const delta = isObject(choice.delta) ? choice.delta : null;
      const finished = choice.finish_reason !== null && choice.finish_reason !== undefined;
      // The last text of a choice carries its whole held tail, so nothing follows the finish.
      const take = (channel: TextChannel, text: string) =>
        channel.push(text) + (finished ? channel.flush() : '');
      for (const field of ['content', 'reasoning_content', 'reasoning']) {
        if (delta && typeof delta[field] === 'string') {
          delta[field] = take(this.channel(`c${index}:${field}`, textFrame(field, true)), delta[field]);
          carriesText = true;
        }
      }
      if (typeof choice.text === 'string') {
        choice.text = take(this.channel(`c${index}:text`, textFrame('text', false)), choice.text);
        carriesText = true;
      }
      if (delta && Array.isArray(delta.tool_calls)) {
        delta.tool_calls.forEach((call: unknown, callPosition) => {
          if (!isObject(call)) return;
          const callIndex = typeof call.index === 'number' ? call.index : callPosition;
          // A new call of the same choice means the earlier ones are complete.
          for (const key of [...this.tools.keys()]) {
            if (key.startsWith(`c${index}:tool:`) && key !== `c${index}:tool:${callIndex}`)
              this.flushTool(key);
          }
          const fn = isObject(call.function) ? call.function : null;
          if (fn && typeof fn.arguments === 'string') {
            this.holdTool(`c${index}:tool:${callIndex}`, fn.arguments, (args) =>
              serialize(frame.event, {
                ...header,
                choices: [
                  {
                    index,
                    delta: { tool_calls: [{ index: callIndex, function: { arguments: args } }] },
                    finish_reason: null,
                  },
                ],
              }),
            );
            fn.arguments = '';
          }
        });
      }
      if (finished) {
        // Emitted before this frame: other held text and complete tool calls precede the finish.
        this.flushPrefix(`c${index}:`);
      }
    });
    return carriesText;
  }

  /** Anthropic-style events and plain `{"text": …}` events; returns whether it carried text. */
  private otherEvent(frame: Frame, event: Json): boolean {
    const index = typeof event.index === 'number' ? event.index : 0;
    const delta = isObject(event.delta) ? event.delta : null;
    if (delta && typeof delta.text === 'string') {
      delta.text = this.channel(`b${index}:text`, (text) =>
        serialize(frame.event, { ...event, delta: { ...delta, text } }),
      ).push(delta.text);
      return true;
    }
    if (delta && typeof delta.partial_json === 'string') {
      this.holdTool(`b${index}:tool`, delta.partial_json, (args) =>
        serialize(frame.event, { ...event, delta: { ...delta, partial_json: args } }),
      );
      delta.partial_json = '';
      return true;
    }
    if (event.type === 'content_block_stop') {
      this.flushPrefix(`b${index}:`);
      return false;
    }
    if (typeof event.text === 'string') {
      event.text = this.channel('text', (text) => serialize(frame.event, { ...event, text })).push(
        event.text,
      );
      return true;
    }
    return false;
  }
}
