import type { PlaceholderType, Tier1Kind } from './types';

/** What to do with a detected stretch of text (offsets in the folded view). */
export type Finding =
  | {
      start: number;
      end: number;
      action: 'token';
      type: PlaceholderType;
      canonical: string;
      detector: string;
    }
  | { start: number; end: number; action: 'tier1'; kind: Tier1Kind; detector: string }
  | { start: number; end: number; action: 'bucket'; label: string; detector: string }
  /** Text that must stay as it is (a placeholder this map issued). */
  | { start: number; end: number; action: 'keep'; detector: string };

/**
 * The findings accepted so far, non-overlapping. Detectors run in priority order; a later finding
 * that overlaps an accepted one is refused, so the stronger (earlier) detector decides.
 */
export class Claims {
  private readonly taken: Finding[] = [];
  /** Per folded offset: 1 when claimed. */
  private readonly used: Uint8Array;

  constructor(length: number) {
    this.used = new Uint8Array(length);
  }

  isFree(start: number, end: number): boolean {
    for (let i = start; i < end; i += 1) if (this.used[i]) return false;
    return true;
  }

  isClaimed(index: number): boolean {
    return this.used[index] === 1;
  }

  /** Accepts the finding when its range is free; returns whether it was accepted. */
  claim(finding: Finding): boolean {
    if (finding.end <= finding.start || !this.isFree(finding.start, finding.end)) return false;
    this.used.fill(1, finding.start, finding.end);
    this.taken.push(finding);
    return true;
  }

  all(): Finding[] {
    return [...this.taken].sort((a, b) => a.start - b.start);
  }
}
