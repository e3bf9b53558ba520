import { describe, expect, test } from '@jest/globals';
import { isIban } from './iban';
import { passesLuhn } from './luhn';

describe('Luhn', () => {
  test('accepts the published test card numbers and rejects a changed digit', () => {
    for (const card of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117']) {
      expect(passesLuhn(card)).toBe(true);
    }
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(passesLuhn('4111 1111 1111 1111')).toBe(false); // digits only: callers strip separators
    expect(passesLuhn('')).toBe(false);
  });
});

describe('IBAN', () => {
  test('accepts valid IBANs in any grouping and case; rejects bad checksums, lengths and countries', () => {
    for (const iban of [
      'DE89 3704 0044 0532 0130 00',
      'GB82WEST12345698765432',
      'fr1420041010050500013m02606',
      'NL91ABNA0417164300',
    ]) {
      expect(isIban(iban)).toBe(true);
    }
    expect(isIban('DE89 3704 0044 0532 0130 01')).toBe(false); // checksum
    expect(isIban('DE89 3704 0044 0532 0130 0')).toBe(false); // length
    expect(isIban('ZZ89370400440532013000')).toBe(false); // country
    expect(isIban('not an iban')).toBe(false);
  });
});
