import { describe, expect, test } from '@jest/globals';
import type { DetectContext } from './detector';
import { verify } from './verify';

const context: DetectContext = { issued: (placeholder) => placeholder === '[PERSON_1]', entities: {} };

describe('verify', () => {
  test('a scrubbed text holding only issued placeholders is clean', () => {
    expect(verify('Please call [PERSON_1] tomorrow about the memo.', ['Maria Okafor'], context)).toBeNull();
  });

  test('a replaced value still present elsewhere in the text, in any case or accent, fails', () => {
    const scrubbed = '[PERSON_1] wrote back: maria okafor agrees.';
    expect(verify(scrubbed, ['Maria Okafor'], context)?.kinds).toContain('value');
    expect(verify('[PERSON_1] wrote back: élodie agrees.', ['Elodie'], context)?.kinds).toContain('value');
  });

  test('a value that appears only inside a placeholder or inside a longer word does not count', () => {
    expect(verify('[PERSON_1] sent the personnel file.', ['Person'], context)).toBeNull();
  });

  test('a placeholder the map never issued is reported by the re-scan', () => {
    expect(verify('Ask [PERSON_7] about it.', [], context)?.kinds).toEqual(['MISC']);
  });
});
