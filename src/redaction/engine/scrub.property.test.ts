import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { scrub } from './scrub';
import { fold } from './fold';
import { MemoryMinter } from '../../../test/redaction/golden/memory-minter';

/** Text mixing arbitrary Unicode with fragments the detectors care about. */
const fragments = fc.constantFrom(
  'Maria Okafor',
  ' ',
  '\n',
  '@',
  '.',
  '-',
  '/',
  ',',
  '[PERSON_1]',
  '[REDACTED]',
  '\u200b',
  'e\u0301',
  'ﬁ',
  '$2.5M',
  '4111 1111 1111 1111',
  '+44 20 7946 0958',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  'SSN 219-09-9999',
  'Dr. ',
  'x@y.io',
  '2026-03-14',
  'abandon ',
);
const texts = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(fc.oneof(fragments, fc.string({ unit: 'grapheme-ascii', maxLength: 12 })), { maxLength: 30 })
    .map((parts) => parts.join('')),
);
const entities = fc.record({
  persons: fc.array(fc.oneof(fc.constant('Maria Okafor'), fc.string({ maxLength: 20 })), { maxLength: 3 }),
});

describe('scrub properties', () => {
  test('never throws on arbitrary Unicode, with or without known entities', () => {
    fc.assert(
      fc.property(
        texts,
        entities,
        fc.constantFrom('drop' as const, 'reject' as const),
        (text, known, tier1Action) => {
          scrub(
            [{ id: 'a', text }],
            { tier1Action, knownEntities: known, bucket: { amounts: true, dates: true } },
            new MemoryMinter(),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  test('never returns the value of a placeholder it issued', () => {
    fc.assert(
      fc.property(texts, entities, (text, known) => {
        const minter = new MemoryMinter();
        const outcome = scrub([{ id: 'a', text }], { tier1Action: 'drop', knownEntities: known }, minter);
        if (outcome.kind !== 'scrubbed') return;
        const output = fold(outcome.items[0]!.scrubbed_text.replace(/\[[A-Z]+_\d+\]/g, ' ')).lower;
        for (const value of minter.values.values()) {
          const needle = fold(value).lower.trim();
          if (needle.length < 3) continue;
          const at = output.indexOf(needle);
          const bounded =
            at >= 0 &&
            !/[\p{L}\p{N}_]/u.test(output[at - 1] ?? ' ') &&
            !/[\p{L}\p{N}_]/u.test(output[at + needle.length] ?? ' ');
          expect({ value, survives: bounded }).toEqual({ value, survives: false });
        }
      }),
      { numRuns: 400 },
    );
  });

  test('is idempotent on its own output with the same map', () => {
    fc.assert(
      fc.property(texts, entities, (text, known) => {
        const minter = new MemoryMinter();
        const first = scrub([{ id: 'a', text }], { tier1Action: 'drop', knownEntities: known }, minter);
        if (first.kind !== 'scrubbed') return;
        const output = first.items[0]!.scrubbed_text;
        const second = scrub(
          [{ id: 'a', text: output }],
          { tier1Action: 'drop', knownEntities: known },
          minter,
        );
        expect(second.kind === 'scrubbed' ? second.items[0]!.scrubbed_text : second.kind).toBe(output);
      }),
      { numRuns: 400 },
    );
  });

  test('every placeholder in the output was minted by the map', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const minter = new MemoryMinter();
        const outcome = scrub([{ id: 'a', text }], { tier1Action: 'drop' }, minter);
        if (outcome.kind !== 'scrubbed') return;
        const found = outcome.items[0]!.scrubbed_text.match(/\[[A-Z]+_[1-9]\d*\]/g) ?? [];
        expect(found.filter((placeholder) => !minter.issued(placeholder))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
