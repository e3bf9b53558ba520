import type { PlaceholderType, TokenMinter } from '../../../src/redaction/engine/types';

/** A TokenMinter kept in memory, for tests: same (type, canonical) → same placeholder. */
export class MemoryMinter implements TokenMinter {
  private readonly byKey = new Map<string, string>();
  private readonly counters = new Map<PlaceholderType, number>();
  /** placeholder → the first value it was minted for. */
  readonly values = new Map<string, string>();

  placeholderFor(type: PlaceholderType, value: string, canonical: string): string {
    const key = `${type}\u0000${canonical}`;
    const existing = this.byKey.get(key);
    if (existing) return existing;
    const next = (this.counters.get(type) ?? 0) + 1;
    this.counters.set(type, next);
    const placeholder = `[${type}_${next}]`;
    this.byKey.set(key, placeholder);
    this.values.set(placeholder, value);
    return placeholder;
  }

  issued(placeholder: string): boolean {
    return this.values.has(placeholder);
  }

  /** Puts minted values back (single left-to-right pass). */
  rehydrate(text: string): string {
    return text.replace(/\[[A-Z]+_\d+\]/g, (token) => this.values.get(token) ?? token);
  }
}
