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
/** A cleared marking buffer left by the previous detection (detections never overlap in time). */
let spareMarks: Uint8Array | null = null;

export class Claims {
  private readonly taken: Finding[] = [];
  /** Per folded offset below `length`: 1 when claimed; everything from `length` on stays 0. */
  private readonly used: Uint8Array;
  private readonly length: number;

  constructor(length: number) {
    this.length = length;
    if (spareMarks !== null && spareMarks.length >= length) {
      this.used = spareMarks;
      spareMarks = null;
    } else this.used = new Uint8Array(Math.max(length, 1024));
  }

  /** Clears the marks and hands the buffer to the next detection; the claims are unusable after. */
  release(): void {
    this.used.fill(0, 0, this.length);
    spareMarks = this.used;
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
    this.used.fill(1, finding.start, Math.min(finding.end, this.length));
    this.taken.push(finding);
    return true;
  }

  /** The accepted findings in text order (a new array). */
  all(): Finding[] {
    return this.taken.sort((a, b) => a.start - b.start).slice();
  }
}
