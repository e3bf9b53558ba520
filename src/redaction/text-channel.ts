import { findTokens, holdbackStart, type Resolve } from './rehydrate';

/** Raised when a stream holds a placeholder the map never issued and the caller asked to fail. */
export class UnknownTokenError extends Error {
  readonly token: string;
  constructor(token: string) {
    super('the stream contains a placeholder this map never issued');
    this.name = 'UnknownTokenError';
    this.token = token;
  }
}

export interface ChannelTotals {
  replaced: number;
  unknown: string[];
}

/**
 * Incremental rehydration of one stream of text (one choice's content, one content block): text is
 * released as soon as it can no longer become part of a placeholder; only the tail that still
 * could (at most 64 characters) is held until more arrives or the stream ends.
 */
export class TextChannel {
  private readonly resolve: Resolve;
  private readonly failOnUnknown: boolean;
  private readonly totals: ChannelTotals;
  private held = '';
  /** The last released character: the word-boundary context of the next token. */
  private before = '';

  constructor(resolve: Resolve, failOnUnknown: boolean, totals: ChannelTotals) {
    this.resolve = resolve;
    this.failOnUnknown = failOnUnknown;
    this.totals = totals;
  }

  get pending(): boolean {
    return this.held.length > 0;
  }

  /** Takes the next piece of text and returns what can be released now (possibly ''). */
  push(text: string): string {
    const buffer = this.held + text;
    const cut = holdbackStart(buffer);
    this.held = buffer.slice(cut);
    return this.release(buffer.slice(0, cut));
  }

  /** Releases everything still held (end of stream, idle, or a frame of another kind). */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return this.release(rest);
  }

  private release(text: string): string {
    if (text === '') return '';
    const context = this.before;
    const source = context + text;
    let out = '';
    let cursor = context.length;
    for (const token of findTokens(source, context.length)) {
      const value = this.resolve(token.placeholder);
      if (value === null) {
        if (this.failOnUnknown) throw new UnknownTokenError(token.written);
        this.totals.unknown.push(token.written);
        continue;
      }
      out += source.slice(cursor, token.start) + value;
      cursor = token.end;
      this.totals.replaced += 1;
    }
    out += source.slice(cursor);
    this.before = text.slice(-1);
    return out;
  }
}
