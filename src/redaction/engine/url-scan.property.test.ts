import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { matchesAt } from './text-scan';
import { hostStarts, schemeStarts } from './url-scan';
import { BARE_HOST, SCHEME_URL } from './url';
import { ipv4Starts, mayHoldIpv6 } from './ip-scan';
import { IPV4, IPV6 } from './ip';

const pieces = fc.constantFrom(
  'https',
  'HTTP',
  's3',
  'lightning',
  'xhttps',
  '_git',
  ':',
  '://',
  '/',
  '.',
  '..',
  '-',
  '@',
  '_',
  ' ',
  '\n',
  'a',
  'example',
  'com',
  'io',
  'www',
  'x'.repeat(62),
  '1',
  '12',
  '255',
  '1234',
  'fe80',
  'ABCD',
  '::',
  '%eth0',
  'é',
  '"',
);
const text = fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(''));
const global = (pattern: RegExp): RegExp => new RegExp(pattern.source, pattern.flags.replace('y', '') + 'g');
const found = (matches: Iterable<RegExpMatchArray>): [number, string][] =>
  [...matches].map((match) => [match.index!, match[0]]);

describe('URL and IP candidate offsets', () => {
  test('URL patterns tried at scheme and host starts find what they find everywhere', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(found(matchesAt(value, schemeStarts(value), SCHEME_URL))).toEqual(
          found(value.matchAll(global(SCHEME_URL))),
        );
        expect(found(matchesAt(value, hostStarts(value), BARE_HOST))).toEqual(
          found(value.matchAll(global(BARE_HOST))),
        );
      }),
      { numRuns: 1000 },
    );
  });

  test('IPv4 tried at ipv4Starts finds what it finds everywhere; mayHoldIpv6 never hides an IPv6 match', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(found(matchesAt(value, ipv4Starts(value), IPV4))).toEqual(found(value.matchAll(global(IPV4))));
        if ([...value.matchAll(IPV6)].length > 0) expect(mayHoldIpv6(value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
