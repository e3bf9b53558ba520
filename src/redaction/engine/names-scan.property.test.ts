import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { fold } from './fold';
import {
  collapseSpaces,
  GREETING,
  GREETING_ENDING,
  NAME_CUE,
  NAME_CUE_ENDING,
  NAME_CUE_REACH,
  ORG_CUE,
  ORG_CUE_ENDING,
  PLACE_CUE,
  PLACE_CUE_ENDING,
} from './names';
import { ShapeFilter } from './names-shapes';
import { cutAsciiWords, cutUnicodeWords, wordHash, Words } from './names-words';
import { givenNames } from './vocabulary';

/**
 * The hand scanner that cuts ASCII text into words must cut it as the Unicode pattern does, and
 * the shape filter in front of the word-set lookups may say "maybe" too often, never "no" for a
 * word of its set.
 */
const pieces = fc.constantFrom(
  'a',
  'Z',
  '7',
  ' ',
  '  ',
  '\t',
  '\n',
  '-',
  "'",
  "'s",
  "'S",
  '.',
  ':',
  '"',
  '(',
  '*',
  '>',
  'Maria',
  'OKAFOR',
  'van',
  'de',
  'Noort',
  'Mr',
  'and',
  'Bank',
  'of',
  'x'.repeat(45),
  'Q'.repeat(39),
  'é',
);
const text = fc.array(pieces, { maxLength: 60 }).map((parts) => parts.join(''));
const runs = { numRuns: 500 };

/** Everything the words know, the hash of each word's lower case included. */
function describeWords(words: Words): unknown[] {
  const described: unknown[] = [];
  for (let index = 0; index < words.count; index += 1)
    described.push([
      words.starts[index],
      words.ends[index],
      words.lower(index),
      words.lowerLength(index),
      words.capitalised(index),
      words.allCaps(index),
      words.sentenceStart(index),
      words.hashes[index],
    ]);
  return described;
}

describe('names: word scanner and shape filter', () => {
  test('ASCII text is cut into the same words by hand as by the Unicode pattern', () => {
    const byHand = new Words((hash) => hash);
    const byPattern = new Words((hash) => hash);
    fc.assert(
      fc.property(text, (value) => {
        const view = fold(value);
        const ascii = cutAsciiWords(view, byHand);
        if (/[^\x00-\x7f]/.test(view.text)) expect(ascii).toBe(false);
        else {
          cutUnicodeWords(view, byPattern);
          expect(describeWords(byHand)).toEqual(describeWords(byPattern));
        }
      }),
      runs,
    );
  });

  test('the shape filter never rules out a word of its set, wherever the word stands (hashed in place)', () => {
    const words = [...givenNames].slice(0, 3000).concat(['a', 'i', 'mr', "o'neil", 'jean-luc']);
    const filter = new ShapeFilter(words);
    fc.assert(
      fc.property(fc.constantFrom(...words), text, text, (word, before, after) => {
        const around = before + word + after;
        expect(filter.mayHave(wordHash(around, before.length, before.length + word.length))).toBe(true);
      }),
      runs,
    );
  });
});

describe('names: cue endings', () => {
  /** The alternatives of the pattern's cue group (the group with the most of them). */
  function cuesOf(pattern: RegExp): string[] {
    const groups = pattern.source.match(/\(\?:[^()]*\)/g) ?? [];
    const widest = groups.reduce((a, b) => (b.split('|').length > a.split('|').length ? b : a));
    return widest.slice(3, -1).split('|');
  }
  const cases = [
    { pattern: NAME_CUE, ending: NAME_CUE_ENDING, reach: NAME_CUE_REACH },
    { pattern: GREETING, ending: GREETING_ENDING, reach: 40 },
    { pattern: ORG_CUE, ending: ORG_CUE_ENDING, reach: 40 },
    { pattern: PLACE_CUE, ending: PLACE_CUE_ENDING, reach: 40 },
  ];

  test('every cue ends with a letter its ending knows', () => {
    for (const { pattern, ending } of cases)
      for (const cue of cuesOf(pattern)) {
        expect(ending.mayEnd(`${cue} `, 0, cue.length + 1)).toBe(true);
        expect(ending.mayEnd(`${cue.toUpperCase()}\t`, 0, cue.length + 1)).toBe(true);
      }
  });

  test('where the pattern matches the context before a word, the ending says maybe', () => {
    for (const { pattern, ending, reach } of cases) {
      const piece = fc.oneof(
        fc.constantFrom(...cuesOf(pattern)),
        fc.constantFrom(
          ' ',
          '  ',
          ',',
          ':',
          '-',
          '\n',
          '\t',
          '\u00a0',
          '.',
          'x',
          'K',
          '(',
          '>',
          'ſ',
          'the ',
          'THE\t',
          'thé ',
        ),
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 12 }), fc.nat(60), (parts, cut) => {
          const value = parts.join('');
          const end = Math.min(cut, value.length);
          const from = Math.max(0, end - reach);
          if (pattern.test(value.slice(from, end))) expect(ending.mayEnd(value, from, end)).toBe(true);
        }),
        runs,
      );
    }
  });
});

describe('names: canonical spacing', () => {
  test('collapseSpaces is the slice with /\\s+/g made one space', () => {
    const piece = fc.constantFrom(
      'a',
      'B',
      ' ',
      '  ',
      '\t',
      '\n',
      '\u00a0',
      '\u2003',
      '\ufeff',
      '.',
      "'s",
      '-',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), fc.nat(40), fc.nat(40), (parts, a, b) => {
        const value = parts.join('');
        const start = Math.min(a, b, value.length);
        const end = Math.min(Math.max(a, b), value.length);
        expect(collapseSpaces(value, start, end)).toBe(value.slice(start, end).replace(/\s+/g, ' '));
      }),
      runs,
    );
  });
});
