import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRunStarts } from './text-scan';
import { digitRuns } from './numbers-digits';

const text = fc
  .array(fc.constantFrom('1', '23', '.', ',', 'a', ' ', '-', '٣', 'é'), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('digitRuns', () => {
  test('finds what digitRunStarts finds', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(digitRuns({}, value)).toEqual(digitRunStarts({}, value));
      }),
      { numRuns: 2000 },
    );
  });
});
