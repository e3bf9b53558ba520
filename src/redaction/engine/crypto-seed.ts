import { isBip39WordAt } from '../validators/bip39';
import { isDigit, isRegexSpace, isWordChar } from './text-scan';

/**
 * Pre-filter for BIP-39 seed phrases: whether 12 seed words follow each other. A seed word is a
 * whole a–z word of 3–8 letters on the word list (no word character touches it); two are joined
 * by one to eight joiners `[\s,;.\-)(\d]`.
 *
 * Such a run spans at least 47 characters, so it covers one of the probes at every 47th offset.
 * Only the words around each probe are looked at, counting seed words joined to the probe's word
 * in both directions; in prose the probe's word is seldom on the list, so little is read.
 */

const SEED_WORDS = 12;
const SHORTEST_WORD = 3;
const LONGEST_WORD = 8;
const LONGEST_GAP = 8;
const SHORTEST_PHRASE = SEED_WORDS * SHORTEST_WORD + (SEED_WORDS - 1);

/** A character that may join seed words: `[\s,;.\-)(\d]`. */
export function isSeedJoiner(code: number): boolean {
  return (
    isRegexSpace(code) ||
    code === 44 ||
    code === 59 ||
    code === 46 ||
    code === 45 ||
    code === 41 ||
    code === 40 ||
    isDigit(code)
  );
}

function isLowerLetter(code: number): boolean {
  return code >= 97 && code <= 122;
}

/** Whether lower[start, end), a run of a–z letters, is a seed word (word-list words have 3–8 letters). */
function isSeedWord(lower: string, start: number, end: number): boolean {
  return isBip39WordAt(lower, start, end) && !isWordChar(lower, start - 1) && !isWordChar(lower, end);
}

/** Start of the letter run ending at `end` (at most one letter longer than a seed word). */
function letterRunStart(lower: string, end: number): number {
  let start = end;
  while (start > 0 && end - start <= LONGEST_WORD && isLowerLetter(lower.charCodeAt(start - 1))) start -= 1;
  return start;
}

/** End of the letter run starting at `start` (at most one letter longer than a seed word). */
function letterRunEnd(lower: string, start: number): number {
  let end = start;
  while (end < lower.length && end - start <= LONGEST_WORD && isLowerLetter(lower.charCodeAt(end))) end += 1;
  return end;
}

/** Seed words joined one after another before the seed word starting at `start`, up to `limit`. */
function seedWordsBefore(lower: string, start: number, limit: number): number {
  let count = 0;
  while (count < limit) {
    let end = start;
    while (end > 0 && start - end < LONGEST_GAP && isSeedJoiner(lower.charCodeAt(end - 1))) end -= 1;
    if (end === start || !isLowerLetter(lower.charCodeAt(end - 1))) break;
    start = letterRunStart(lower, end);
    if (!isSeedWord(lower, start, end)) break;
    count += 1;
  }
  return count;
}

/** Where the last of the seed words joined one after another after `end` ends (`end` if none), up to `limit`. */
function seedRunEnd(lower: string, end: number, limit: number): number {
  for (let count = 0; count < limit; count += 1) {
    let start = end;
    while (start < lower.length && start - end < LONGEST_GAP && isSeedJoiner(lower.charCodeAt(start)))
      start += 1;
    if (start === end || !isLowerLetter(lower.charCodeAt(start))) break;
    const next = letterRunEnd(lower, start);
    if (!isSeedWord(lower, start, next)) break;
    end = next;
    seedWordsFound += 1;
  }
  return end;
}

/** How many words the last seedRunEnd call found. */
let seedWordsFound = 0;

/**
 * Whether 12 joined seed words cover offset `probe`: -1 when they do, else an offset that no 12
 * joined seed words starting before it reach past (the end of the run of seed words around the
 * probe, or of the word that is none).
 */
function seedRunPast(lower: string, probe: number): number {
  let start = probe;
  if (!isLowerLetter(lower.charCodeAt(probe))) {
    // In a gap: the word after it belongs to the run.
    while (start < lower.length && start - probe < LONGEST_GAP && isSeedJoiner(lower.charCodeAt(start)))
      start += 1;
    if (start === probe || !isLowerLetter(lower.charCodeAt(start))) return probe + 1;
  } else start = letterRunStart(lower, probe + 1);
  const end = letterRunEnd(lower, start);
  if (!isSeedWord(lower, start, end)) return end;
  const before = seedWordsBefore(lower, start, SEED_WORDS - 1);
  seedWordsFound = 0;
  const runEnd = seedRunEnd(lower, end, SEED_WORDS - 1 - before);
  return 1 + before + seedWordsFound >= SEED_WORDS ? -1 : runEnd;
}

/**
 * Every phrase starting at or after `settled` covers settled + SHORTEST_PHRASE - 1, so that offset
 * is probed; a failed probe rules out every phrase starting up to the offset it returns.
 */
export function mayHoldSeedPhrase(lower: string): boolean {
  let settled = 0;
  while (settled + SHORTEST_PHRASE - 1 < lower.length) {
    const past = seedRunPast(lower, settled + SHORTEST_PHRASE - 1);
    if (past < 0) return true;
    settled = past;
  }
  return false;
}
