import { describe, expect, test } from '@jest/globals';
import { scrub } from './scrub';
import { MemoryMinter } from '../../../test/redaction/golden/memory-minter';

function scrubbedText(
  text: string,
  minter = new MemoryMinter(),
  options: Parameters<typeof scrub>[1] = { tier1Action: 'drop' },
): string {
  const outcome = scrub([{ id: 'a', text }], options, minter);
  if (outcome.kind !== 'scrubbed') throw new Error(JSON.stringify(outcome));
  return outcome.items[0]!.scrubbed_text;
}

describe('scrub', () => {
  test('Tier-1 values are cut out and counted; other values become placeholders with stats', () => {
    const minter = new MemoryMinter();
    const outcome = scrub(
      [
        { id: 'one', text: 'Maria Okafor: SSN 219-09-9999, maria@example.com' },
        { id: 'two', text: 'Maria Okafor again, IBAN DE89370400440532013000' },
      ],
      { tier1Action: 'drop', knownEntities: { persons: ['Maria Okafor'] } },
      minter,
    );
    expect(outcome).toEqual({
      kind: 'scrubbed',
      items: [
        {
          id: 'one',
          scrubbed_text: '[PERSON_1]: SSN [REDACTED], [EMAIL_1]',
          tokens_used: ['[PERSON_1]', '[EMAIL_1]'],
        },
        { id: 'two', scrubbed_text: '[PERSON_1] again, IBAN [REDACTED]', tokens_used: ['[PERSON_1]'] },
      ],
      stats: { tier1_dropped: 2, tier2_tokenized: 3, distinct_entities: 2 },
    });
    expect([...minter.values.values()]).toEqual(['Maria Okafor', 'maria@example.com']);
  });

  test('tier1_action reject refuses the call naming only the kinds, and mints nothing', () => {
    const minter = new MemoryMinter();
    const outcome = scrub(
      [
        { id: 'clean', text: 'Maria Okafor called.' },
        { id: 'dirty', text: 'routing 021000021 and SWIFT DEUTDEFF500' },
      ],
      { tier1Action: 'reject' },
      minter,
    );
    expect(outcome).toEqual({
      kind: 'tier1_detected',
      spans: [{ item: 'dirty', kinds: ['routing', 'swift'] }],
    });
    expect(minter.values.size).toBe(0);
    expect(JSON.stringify(outcome)).not.toContain('021000021');
  });

  test('placeholder-looking input is neutralised; placeholders this map issued are kept', () => {
    const minter = new MemoryMinter();
    const first = scrubbedText('Maria Okafor', minter, {
      tier1Action: 'drop',
      knownEntities: { persons: ['Maria Okafor'] },
    });
    expect(first).toBe('[PERSON_1]');
    const second = scrubbedText('[PERSON_1] met [PERSON_2] and [person_1]', minter);
    expect(second).toBe('[PERSON_1] met [MISC_1] and [MISC_2]');
    expect(minter.values.get('[MISC_1]')).toBe('[PERSON_2]');
  });

  test('tokens_used names each issued placeholder of the output once, kept or new, in order', () => {
    const minter = new MemoryMinter();
    const options = { tier1Action: 'drop' as const, knownEntities: { persons: ['Maria Okafor'] } };
    expect(scrubbedText('Maria Okafor', minter, options)).toBe('[PERSON_1]');
    const outcome = scrub(
      [{ id: 'a', text: '[PERSON_1] met [PERSON_2], then [PERSON_1] and Maria Okafor again' }],
      options,
      minter,
    );
    expect(outcome.kind === 'scrubbed' && outcome.items[0]).toEqual({
      id: 'a',
      scrubbed_text: '[PERSON_1] met [MISC_1], then [PERSON_1] and [PERSON_1] again',
      tokens_used: ['[PERSON_1]', '[MISC_1]'],
    });
  });

  test('the same value keeps its placeholder across items and calls on one map', () => {
    const minter = new MemoryMinter();
    expect(scrubbedText('Write to maria@example.com', minter)).toBe('Write to [EMAIL_1]');
    expect(scrubbedText('cc MARIA@EXAMPLE.COM and bob@example.com', minter)).toBe(
      'cc [EMAIL_1] and [EMAIL_2]',
    );
  });

  test('buckets replace amounts and dates with coarse labels that survive a second scrub', () => {
    const minter = new MemoryMinter();
    const options = { tier1Action: 'drop' as const, bucket: { amounts: true, dates: true } };
    const output = scrubbedText(
      'They committed $2.5M on 2026-03-14 and two hundred thousand euros in May 2025.',
      minter,
      options,
    );
    expect(output).toBe(
      'They committed [AMOUNT ≈ USD 1M–10M] on [DATE ≈ 2026-Q1] and [AMOUNT ≈ EUR 100k–1M] in [DATE ≈ 2025-Q2].',
    );
    expect(minter.values.size).toBe(0);
    expect(scrubbedText(output, minter, options)).toBe(output);
  });

  test('a bucket-shaped label cannot smuggle an exact value', () => {
    expect(scrubbedText('[AMOUNT ≈ USD 2,500,000]')).not.toContain('2,500,000');
  });

  test('NER entities are treated like known entities', () => {
    const output = scrubbedText('the zorblax project lead', new MemoryMinter(), {
      tier1Action: 'drop',
      nerEntities: { orgs: ['Zorblax'] },
    });
    expect(output).toBe('the [ORG_1] project lead');
  });

  test('output in which the second pass still detects something fails closed, with kinds only', () => {
    // "$1$1": the second "$1" is glued to the first and not taken as an amount; once the first is a
    // placeholder it stands alone, the re-scan finds it and nothing is returned.
    const outcome = scrub([{ id: 'a', text: 'pay $1$1 now' }], { tier1Action: 'drop' }, new MemoryMinter());
    expect(outcome).toEqual({ kind: 'verification_failed', items: [{ item: 'a', kinds: ['AMOUNT'] }] });
  });
});
