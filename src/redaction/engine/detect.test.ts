import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detect } from './detect';
import type { KnownEntities } from './types';

/** "TYPE:value" for every finding (Tier-1 as "tier1:kind:value"), in text order. */
function found(text: string, entities: KnownEntities = {}): string[] {
  const { view, findings } = detect(text, { issued: () => false, entities });
  return findings.map((finding) => {
    const value = view.original.slice(view.starts[finding.start], view.ends[finding.end - 1]);
    if (finding.action === 'token') return `${finding.type}:${value}`;
    if (finding.action === 'tier1') return `tier1:${finding.kind}:${value}`;
    return `${finding.action}:${value}`;
  });
}

describe('Tier-1 identifiers', () => {
  test.each([
    ['SSN 219-09-9999', 'tier1:ssn:219-09-9999'],
    ['ssn: 219/09/9999', 'tier1:ssn:219/09/9999'],
    ['written 219,09,9999 too', 'tier1:ssn:219,09,9999'],
    ['social security no. 219099999', 'tier1:ssn:219099999'],
    ['IBAN DE89 3704 0044 0532 0130 00.', 'tier1:iban:DE89 3704 0044 0532 0130 00'],
    ['pay gb82west12345698765432 now', 'tier1:iban:gb82west12345698765432'],
    ['SWIFT DEUTDEFF500', 'tier1:swift:DEUTDEFF500'],
    ['bic: deutdeff', 'tier1:swift:deutdeff'],
    ['account no. CH-4455-9912-07', 'tier1:account:CH-4455-9912-07'],
    ['acct # 0012.3456.789', 'tier1:account:0012.3456.789'],
    ['routing number 021000021', 'tier1:routing:021000021'],
    ['passport X12345678', 'tier1:passport:X12345678'],
    ["driver's license D123-4567-8901", 'tier1:gov_id:D123-4567-8901'],
    ['NI number AB 12 34 56 C', 'tier1:gov_id:AB 12 34 56 C'],
  ])('%s', (text, expected) => {
    expect(found(text)).toContain(expected);
  });

  test('ordinary capitalised words and invalid SSN areas are not Tier-1', () => {
    expect(found('The BUSINESS PLAN is due.').filter((entry) => entry.startsWith('tier1'))).toEqual([]);
    expect(found('code 000-12-3456').filter((entry) => entry.startsWith('tier1:ssn'))).toEqual([]);
  });

  test('a sum in a currency code after a wire keyword is an amount; a coded reference stays Tier-1', () => {
    expect(found('The wire of EUR 640,000 is scheduled.')).toEqual(['AMOUNT:EUR 640,000']);
    expect(found('sepa transfer USD 12,500,000.50 today')).toContain('AMOUNT:USD 12,500,000.50');
    expect(found('wire reference EUR-4471-2219-0034')).toEqual(['tier1:wire:EUR-4471-2219-0034']);
    expect(found('wire of USD 1234 5678 9012')).toEqual(['tier1:wire:USD 1234 5678 9012']);
  });
});

describe('structured values', () => {
  test.each([
    ['mail maria.okafor@example.com.', 'EMAIL:maria.okafor@example.com'],
    ['internal ops@crm here', 'EMAIL:ops@crm'],
    ['see https://portal.example.com/clients/8812?x=1.', 'URL:https://portal.example.com/clients/8812?x=1'],
    ['see linkedin.com/in/maria-okafor', 'URL:linkedin.com/in/maria-okafor'],
    ['host 203.0.113.7 up', 'IP:203.0.113.7'],
    ['v6 2001:db8::1 up', 'IP:2001:db8::1'],
    ['card 4111 1111 1111 1111', 'CARD:4111 1111 1111 1111'],
    ['mc 2221-0000-0000-0009', 'CARD:2221-0000-0000-0009'],
    ['call +44 20 7946 0958 ext. 214', 'PHONE:+44 20 7946 0958 ext. 214'],
    ['call (415) 555-0142', 'PHONE:(415) 555-0142'],
    ['fax 259.735.7502x459', 'PHONE:259.735.7502x459'],
    ['phone 88123456771', 'PHONE:88123456771'],
    ['ship to zip 94105 please', 'ADDR:94105'],
    ['new zip code 60311', 'ADDR:60311'],
    ['old zip code zip 10115', 'ADDR:10115'],
    ['postcode SW1A 1AA today', 'ADDR:SW1A 1AA'],
    ['zip code 60311 for Maria', 'ADDR:60311'],
    ['postcode K1A 0B1 in Ottawa', 'ADDR:K1A 0B1'],
  ])('%s', (text, expected) => {
    expect(found(text)).toContain(expected);
  });

  test('a long unbroken digit run is MISC', () => {
    expect(found('id 1700000000123456789012')).toContain('MISC:1700000000123456789012');
  });
});

describe('amounts and dates', () => {
  test.each([
    ['commit $2.5M today', 'AMOUNT:$2.5M'],
    ['EUR 2,750,000 if', 'AMOUNT:EUR 2,750,000'],
    ['about 0.75 BTC', 'AMOUNT:0.75 BTC'],
    ['USD 3-5M range', 'AMOUNT:USD 3-5M'],
    ['two million five hundred thousand dollars', 'AMOUNT:two million five hundred thousand dollars'],
    ['half a million euros', 'AMOUNT:half a million euros'],
    ['fifty grand', 'AMOUNT:fifty grand'],
    ['€750k', 'AMOUNT:€750k'],
    ['on 2026-03-14T10:30:00Z', 'DATE:2026-03-14T10:30:00Z'],
    ['on 14/03/2026', 'DATE:14/03/2026'],
    ['Tuesday, March 31st, 2026 at 10:30 am', 'DATE:Tuesday, March 31st, 2026 at 10:30 am'],
    ['the 14th of March 2026', 'DATE:14th of March 2026'],
    ['back by Q2 2026', 'DATE:Q2 2026'],
    ['a 2017 film', 'DATE:2017'],
    ['am 15. März 2024 in', 'DATE:15. März 2024'],
    ['le 3 février 2025', 'DATE:3 février 2025'],
  ])('%s', (text, expected) => {
    expect(found(text)).toContain(expected);
  });
});

describe('crypto and secrets', () => {
  test.each([
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'CRYPTO'],
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'CRYPTO'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'CRYPTO'],
    ['5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ', 'SECRET'],
    [
      'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8',
      'CRYPTO',
    ],
    [
      'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi',
      'SECRET',
    ],
    ['0x52908400098527886E0F7030069857D2E4169EE7', 'CRYPTO'],
    ['AKIAIOSFODNN7EXAMPLE', 'SECRET'],
    ['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', 'SECRET'],
    [
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'SECRET',
    ],
  ])('%s', (value, type) => {
    expect(found(`value ${value} end`)).toContain(`${type}:${value}`);
  });

  test('a BIP-39 seed phrase, a password assignment and a high-entropy token are SECRET', () => {
    const seed = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
    expect(found(`seed: ${seed}.`)).toContain(`SECRET:${seed}`);
    expect(found('password: Tr0ub4dor&3')).toContain('SECRET:Tr0ub4dor&3');
    expect(found('token 9fK2xQ7pL0aZ3vB8nM1cR5tY6uW4eH2j')).toContain(
      'SECRET:9fK2xQ7pL0aZ3vB8nM1cR5tY6uW4eH2j',
    );
    expect(found('the password is required')).toEqual([]);
  });

  test("every valid vector in Bitcoin Core's key_io_valid.json is found as CRYPTO or SECRET, no invalid one as either", () => {
    const vectors = path.join(__dirname, '..', '..', '..', '..', 'shared', 'testdata', 'bitcoin');
    const valid = JSON.parse(readFileSync(path.join(vectors, 'key_io_valid.json'), 'utf8')) as [
      string,
      string,
      { isPrivkey: boolean },
    ][];
    const invalid = JSON.parse(readFileSync(path.join(vectors, 'key_io_invalid.json'), 'utf8')) as [string][];
    const missed = valid.filter(
      ([text, , meta]) =>
        !found(`addr ${text} .`).includes(`${meta.isPrivkey ? 'SECRET' : 'CRYPTO'}:${text}`),
    );
    expect(missed.map(([text]) => text)).toEqual([]);
    // An invalid look-alike may still be cut as a high-entropy SECRET (leak first), never as CRYPTO.
    const accepted = invalid.filter(([text]) => found(`addr ${text} .`).includes(`CRYPTO:${text}`));
    expect(accepted).toEqual([]);
  });
});

describe('known entities', () => {
  const known = { persons: ['Maria Okafor', 'Jonas Lindqvist-Berg'], orgs: ['Orangepeak Payments Inc.'] };
  test.each([
    ['MARIA OKAFOR called', 'PERSON:MARIA OKAFOR'],
    ['Okafor’s memo', 'PERSON:Okafor'],
    ['Maria said', 'PERSON:Maria'],
    ['M. Okafor said', 'PERSON:M. Okafor'],
    ['Okafor-Smith joined', 'PERSON:Okafor-Smith'],
    ['Mari\u0301a Okafor', 'PERSON:Mari\u0301a Okafor'],
    ['Ma\u200bria Oka\u00adfor', 'PERSON:Ma\u200bria Oka\u00adfor'],
    ['Lindqvist said', 'PERSON:Lindqvist'],
    ['Orangepeak Payments wants', 'ORG:Orangepeak Payments'],
  ])('%s', (text, expected) => {
    expect(found(text, known)).toContain(expected);
  });
});

describe('names by rules', () => {
  test.each([
    ['We met Dr. Aiko Tanaka yesterday.', 'PERSON:Aiko Tanaka'],
    ['Ms. Margarot flew in.', 'PERSON:Margarot'],
    ['The memo from Ryan P Costa arrived.', 'PERSON:Ryan P Costa'],
    ['Hi maria,', 'PERSON:maria'],
    ['Her maiden name is Key', 'PERSON:Key'],
    ['Koppány: "Who are you?"', 'PERSON:Koppány'],
    ['Northwind Partners LLC signed.', 'ORG:Northwind Partners LLC'],
    ['She works for Mint now.', 'ORG:Mint'],
    ['She flew to Loeches on Friday.', 'LOC:Loeches'],
    ['Monjeau, Graves and Reed founded it.', 'PERSON:Reed'],
    ['leone mazzi called', 'PERSON:leone mazzi'],
  ])('%s', (text, expected) => {
    expect(found(text)).toContain(expected);
  });

  test('ordinary sentences produce no names', () => {
    expect(found('The committee wants a revised memo before the end of the quarter.')).toEqual([]);
    expect(found('Please circulate the deck and the updated model to the team.')).toEqual([]);
  });

  test('contractions are ordinary words, also in text with almost no capitals', () => {
    expect(found("The plan isn't final and we aren't ready.")).toEqual([]);
    expect(found('so he doesnt know and they didnt ask')).toEqual([]);
    expect(found("I'm sure we can't go; I'll call when it's done.")).toEqual([]);
    expect(found("Hi, I'm Naomi Ryan.")).toEqual(['PERSON:Naomi Ryan']);
  });

  test('a name found once is replaced in every mention, surname alone included', () => {
    expect(found('Dr. Aiko Tanaka called. Later Tanaka wrote again.')).toEqual([
      'PERSON:Aiko Tanaka',
      'PERSON:Tanaka',
    ]);
  });
});
