import { describe, expect, test } from '@jest/globals';
import { scrub } from './scrub';
import { MemoryMinter } from '../../../test/redaction/golden/memory-minter';

const MB = 1 << 20;

function cpuMilliseconds(work: () => unknown): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}
// Budgets are CPU time of this process (the engine is synchronous), so a busy shared machine does
// not fail the test; catastrophic backtracking would take minutes. The budgets leave 2-5x headroom over
// a run alongside the whole suite (about 2.7 s for "commas and digits" at worst).
const SEPARATOR_BUDGET_MS = 5000;
/** Word-like inputs run every name rule and propagation over 260,000 words, or mint 100,000+ placeholders. */
const WORDS_BUDGET_MS = 6000;

describe('no catastrophic backtracking: 1 MB adversarial inputs finish fast', () => {
  test.each([
    ['spaces', ' '.repeat(MB)],
    ['dots', '.'.repeat(MB)],
    ['dashes', '-'.repeat(MB)],
    ['slashes', '/'.repeat(MB)],
    ['commas and digits', '1,'.repeat(MB / 2)],
    ['digits', '7'.repeat(MB)],
    ['spaced digits', '1 '.repeat(MB / 2)],
    ['at signs', '@'.repeat(MB)],
    ['colons and hex', 'a:'.repeat(MB / 2)],
  ])('%s', (_name, text) => {
    expect(
      cpuMilliseconds(() => scrub([{ id: 'x', text }], { tier1Action: 'drop' }, new MemoryMinter())),
    ).toBeLessThan(SEPARATOR_BUDGET_MS);
  });

  test.each([
    ['letters', 'a'.repeat(MB)],
    ['local@ parts (131,072 e-mail addresses)', 'a@'.repeat(MB / 2)],
    ['capitalised words', 'Abc '.repeat(MB / 4)],
    ['host-like paths', 'a.com/'.repeat(MB / 6)],
    ['placeholder prefixes', '[PERSON_'.repeat(MB / 8)],
    ['title and street words', 'Mr. A 1 St '.repeat(MB / 11)],
  ])('%s', (_name, text) => {
    expect(
      cpuMilliseconds(() => scrub([{ id: 'x', text }], { tier1Action: 'drop' }, new MemoryMinter())),
    ).toBeLessThan(WORDS_BUDGET_MS);
  });
});
