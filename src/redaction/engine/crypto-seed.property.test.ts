import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { isBip39WordAt } from '../validators/bip39';
import { isWordChar } from './text-scan';
import { isSeedJoiner, mayHoldSeedPhrase } from './crypto-seed';

/** The plain scan the probing pre-filter stands for: word-list words in a row, each joined to the last. */
function seedRunByScan(lower: string): boolean {
  const isLetter = (code: number): boolean => code >= 97 && code <= 122;
  let listed = 0;
  let lastEnd = 0;
  let index = 0;
  while (index < lower.length) {
    if (!isLetter(lower.charCodeAt(index))) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < lower.length && isLetter(lower.charCodeAt(end))) end += 1;
    const shaped =
      end - index >= 3 && end - index <= 8 && !isWordChar(lower, index - 1) && !isWordChar(lower, end);
    if (!shaped) listed = 0;
    else {
      const gap = lower.slice(lastEnd, index);
      const joined =
        gap.length >= 1 && gap.length <= 8 && [...gap].every((c) => isSeedJoiner(c.charCodeAt(0)));
      if (listed > 0 && !joined) listed = 0;
      listed = isBip39WordAt(lower, index, end) ? listed + 1 : 0;
      if (listed >= 12) return true;
      lastEnd = end;
    }
    index = end;
  }
  return false;
}

// Mostly word-list words and joiners, so runs of 12 are common and every way of breaking one is tried.
const words = fc.oneof(
  { arbitrary: fc.constantFrom('abandon', 'zoo', 'ability', 'act', 'wrong', 'about'), weight: 30 },
  { arbitrary: fc.constantFrom('abandons', 'the', 'xyz', 'actually', 'Zoo'), weight: 1 },
);
const gaps = fc.oneof(
  { arbitrary: fc.constantFrom(' ', ', ', '\n', '1. ', ' 12) ', '-', '        '), weight: 30 },
  { arbitrary: fc.constantFrom('         ', ' : ', '', '_', 'é', 'X'), weight: 1 },
);
const text = fc
  .array(fc.tuple(words, gaps), { minLength: 8, maxLength: 30, size: 'max' })
  .map((pairs) => pairs.map(([word, gap]) => word + gap).join(''));

describe('seed-phrase pre-filter', () => {
  test('probing every 47th character answers like scanning every word', () => {
    let found = 0;
    fc.assert(
      fc.property(text, fc.nat({ max: 60 }), (value, shift) => {
        const shifted = ' '.repeat(shift) + value;
        const expected = seedRunByScan(shifted);
        if (expected) found += 1;
        expect(mayHoldSeedPhrase(shifted)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    expect(found).toBeGreaterThan(200);
    expect(found).toBeLessThan(1800);
  });

  test('a shortest phrase is found wherever it stands', () => {
    const phrase = Array(12).fill('zoo').join(' ');
    for (let at = 0; at < 60; at += 1) {
      expect(mayHoldSeedPhrase('x'.repeat(at) + ' ' + phrase)).toBe(true);
      expect(mayHoldSeedPhrase(phrase.slice(0, -1) + ' ' + 'x'.repeat(at))).toBe(false);
    }
  });

  test('a phrase right after a broken run is found wherever the two stand', () => {
    for (const gap of [' : ', ':', 'é', '_', 'x', ' '.repeat(9), ' the ', ' 1x '])
      for (let before = 0; before <= 13; before += 1)
        for (let after = 10; after <= 12; after += 1)
          for (let shift = 0; shift < 50; shift += 7) {
            const value =
              ' '.repeat(shift) + 'zoo '.repeat(before) + gap + Array(after).fill('zoo').join(' ');
            expect(mayHoldSeedPhrase(value)).toBe(seedRunByScan(value));
          }
  });
});
