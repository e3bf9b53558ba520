import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bitcoinIdentifier } from './bitcoin';

const vectors = path.join(__dirname, '..', '..', '..', '..', 'shared', 'testdata', 'bitcoin');
type Valid = [string, string, { chain: string; isPrivkey: boolean; tryCaseFlip?: boolean }];

describe("Bitcoin Core's key and address vectors", () => {
  const valid = JSON.parse(readFileSync(path.join(vectors, 'key_io_valid.json'), 'utf8')) as Valid[];
  const invalid = JSON.parse(readFileSync(path.join(vectors, 'key_io_invalid.json'), 'utf8')) as [string][];

  test('every valid vector is recognised, as a key when it is one', () => {
    expect(valid.length).toBe(70);
    const missed = valid.filter(([text, , meta]) => {
      const found = bitcoinIdentifier(text);
      return !found || (found.kind === 'wif') !== meta.isPrivkey;
    });
    expect(missed.map(([text]) => text)).toEqual([]);
  });

  test('no invalid vector is accepted', () => {
    expect(invalid.length).toBe(79);
    expect(invalid.filter(([text]) => bitcoinIdentifier(text) !== null).map(([text]) => text)).toEqual([]);
  });
});
