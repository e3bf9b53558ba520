import { couldGrowIntoToken, holdbackStart, rehydrate } from './rehydrate';

const MAP: Record<string, string> = {
  '[PERSON_1]': 'Maria Okafor',
  '[PERSON_10]': 'Jon Bell',
  '[ORG_1]': 'Orangepeak Payments',
  '[EMAIL_1]': 'maria@example.com',
};
const resolve = (placeholder: string) => MAP[placeholder] ?? null;

describe('rehydrate', () => {
  it.each([
    ['Ask [PERSON_1] today.', 'Ask Maria Okafor today.'],
    ['Ask **[PERSON_1]** today.', 'Ask **Maria Okafor** today.'],
    ['Ask PERSON_1 today.', 'Ask Maria Okafor today.'],
    ['Ask [person_1] today.', 'Ask Maria Okafor today.'],
    ['Ask \\[PERSON\\_1\\] today.', 'Ask Maria Okafor today.'],
    ['Ask PERSON\\_1, today.', 'Ask Maria Okafor, today.'],
    ['Ask [Person 1] today.', 'Ask Maria Okafor today.'],
    ['Ask [PERSON-1] today.', 'Ask Maria Okafor today.'],
    ['Ask (PERSON_1) today.', 'Ask (Maria Okafor) today.'],
    ['Ask (PERSON 1) today.', 'Ask Maria Okafor today.'],
    ['Ask [PERSON_1 today.', 'Ask Maria Okafor today.'],
    ['Ask PERSON_1] today.', 'Ask Maria Okafor today.'],
    ['Ask _PERSON_1_ and __PERSON_1__.', 'Ask _Maria Okafor_ and __Maria Okafor__.'],
    ['`[PERSON_1]`', '`Maria Okafor`'],
    ['[PERSON_10] and [PERSON_1]', 'Jon Bell and Maria Okafor'],
    ['[ORG_1]:[EMAIL_1]', 'Orangepeak Payments:maria@example.com'],
  ])('restores %j', (text, expected) => {
    const result = rehydrate(text, resolve);
    expect(result.text).toBe(expected);
    expect(result.unknown).toEqual([]);
  });

  it.each([
    'Person 1 said so.',
    'the person-1 case',
    'on date 5 of the trial',
    'SUPERPERSON_1 is not a token',
    'PERSON_1st place',
    'PERSON_01',
  ])('leaves ordinary text alone: %j', (text) => {
    expect(rehydrate(text, resolve)).toEqual({ text, replaced: 0, unknown: [] });
  });

  it('never takes the closest placeholder for one the map did not issue', () => {
    const result = rehydrate('[PERSON_2] and [PERSON_100] and [person_3]', resolve);
    expect(result.text).toBe('[PERSON_2] and [PERSON_100] and [person_3]');
    expect(result.unknown).toEqual(['[PERSON_2]', '[PERSON_100]', '[person_3]']);
  });

  it('is a single pass: an inserted value is never scanned again', () => {
    const result = rehydrate('[PERSON_1]', () => '[PERSON_1] [ORG_1]');
    expect(result).toEqual({ text: '[PERSON_1] [ORG_1]', replaced: 1, unknown: [] });
  });

  it('escapes inserted values when asked', () => {
    const result = rehydrate('{"to":"[PERSON_1]"}', () => 'A "B"', {
      escape: (value) => JSON.stringify(value).slice(1, -1),
    });
    expect(JSON.parse(result.text)).toEqual({ to: 'A "B"' });
  });

  it('is fast on adversarial input', () => {
    const text = '[ '.repeat(200_000) + 'PERSON_' + '\\_'.repeat(100_000);
    const started = performance.now();
    rehydrate(text, resolve);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('holding back a stream tail', () => {
  it.each([
    '[',
    '\\',
    '\\[',
    '[PER',
    'PERSON',
    'PERSON_',
    'PERSON_1',
    '[PERSON_1',
    '[PERSON_1 ',
    'PERSON\\',
    'PERSON\\_1\\',
    'pers',
  ])('%j could still grow into a placeholder', (tail) => expect(couldGrowIntoToken(tail)).toBe(true));

  it.each(['[PERSON_1]', 'Please', 'PERSON_1 x', '[x', 'PERSONS', ''])('%j cannot', (tail) =>
    expect(couldGrowIntoToken(tail)).toBe(false),
  );

  it('holds only from the earliest start that could still grow', () => {
    expect(holdbackStart('Ask [PERS')).toBe(4);
    expect(holdbackStart('Ask [PERSON_1] now')).toBe(18);
    expect(holdbackStart('Ask [PERSON_1] per')).toBe(15);
    expect(holdbackStart('ends with x')).toBe(11);
    // "super" is not a word-boundary start, so nothing is held
    expect(holdbackStart('a superp')).toBe(8);
  });
});
