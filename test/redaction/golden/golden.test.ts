import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scrub } from '../../../src/redaction/engine/scrub';
import { fold } from '../../../src/redaction/engine/fold';
import type { KnownEntities } from '../../../src/redaction/engine/types';
import { MemoryMinter } from './memory-minter';

interface GoldenCase {
  description: string;
  known_entities: KnownEntities;
  text: string;
  must_not_survive: string[];
  tier1?: string[];
  types?: Record<string, string>;
}

const casesDir = path.join(__dirname, 'cases');
const cases = readdirSync(casesDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => [name, JSON.parse(readFileSync(path.join(casesDir, name), 'utf8')) as GoldenCase] as const);

const folded = (text: string): string => fold(text).lower;

function run(golden: GoldenCase, minter = new MemoryMinter()) {
  const outcome = scrub(
    [{ id: 'doc', text: golden.text }],
    { tier1Action: 'drop', knownEntities: golden.known_entities },
    minter,
  );
  if (outcome.kind !== 'scrubbed') throw new Error(`expected scrubbed, got ${JSON.stringify(outcome)}`);
  return { output: outcome.items[0]!.scrubbed_text, minter, outcome };
}

describe.each(cases)('golden leak case %s', (_name, golden) => {
  test('no listed value survives scrub, in any folding', () => {
    const { output } = run(golden);
    const survivors = golden.must_not_survive.filter(
      (value) => output.includes(value) || folded(output).includes(folded(value)),
    );
    expect(survivors).toEqual([]);
  });

  test('Tier-1 values are cut out, never minted into the map', () => {
    const { minter } = run(golden);
    const minted = [...minter.values.values()].map(folded);
    const stored = (golden.tier1 ?? []).filter((value) =>
      minted.some((entry) => entry.includes(folded(value))),
    );
    expect(stored).toEqual([]);
  });

  test('rehydrating every placeholder restores the input (up to the folding that merged mentions)', () => {
    const { output, minter } = run(golden);
    const restored = minter.rehydrate(output.replaceAll('[REDACTED]', '\u0000'));
    // Tier-1 cuts are the only intended loss: compare with them masked in the input as well.
    const expected = golden.text;
    const pieces = restored.split('\u0000');
    let cursor = 0;
    for (const [index, piece] of pieces.entries()) {
      const foldedPiece = folded(piece);
      const at = folded(expected).indexOf(foldedPiece, cursor);
      expect({ piece: index, found: at >= 0 }).toEqual({ piece: index, found: true });
      cursor = at + foldedPiece.length;
    }
  });

  test('the declared placeholder types are used', () => {
    const { minter } = run(golden);
    for (const [value, type] of Object.entries(golden.types ?? {})) {
      const placeholder = [...minter.values.entries()].find(([, minted]) => minted === value)?.[0];
      expect({ value, placeholder: placeholder?.replace(/_\d+\]$/, '') }).toEqual({
        value,
        placeholder: `[${type}`,
      });
    }
  });

  test('scrubbing the output again with the same map changes nothing', () => {
    const { output, minter } = run(golden);
    const again = scrub(
      [{ id: 'doc', text: output }],
      { tier1Action: 'drop', knownEntities: golden.known_entities },
      minter,
    );
    expect(again.kind === 'scrubbed' ? again.items[0]!.scrubbed_text : again).toBe(output);
  });
});

test('texts without case variants round-trip byte for byte', () => {
  const text =
    'Maria Okafor met Jonas Berg at 221B Baker Street on 2026-03-14 and paid $2.5M (call +44 20 7946 0958).';
  const minter = new MemoryMinter();
  const outcome = scrub(
    [{ id: 'a', text }],
    { tier1Action: 'drop', knownEntities: { persons: ['Maria Okafor'] } },
    minter,
  );
  expect(outcome.kind).toBe('scrubbed');
  if (outcome.kind !== 'scrubbed') return;
  expect(outcome.items[0]!.scrubbed_text).not.toContain('Okafor');
  expect(minter.rehydrate(outcome.items[0]!.scrubbed_text)).toBe(text);
});
