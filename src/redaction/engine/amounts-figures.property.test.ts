import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { digitRuns } from './numbers-digits';
import { CURRENCY_AFTER, CURRENCY_AFTER_WORDS, CURRENCY_WORDS, MAGNITUDE_ONLY } from './amounts';
import { currencyAfterStarts, figureStarts, magnitudeStarts, stretchEnds } from './amounts-figures';
import { spansAt } from '../../../test/helpers/scanner-properties';

const figure = fc.constantFrom('1', '250', '1,000', '2.5', '.5', ',75', "1'000", '1 000', '$', 'US$', '');
const joiner = fc.constantFrom(
  ...[
    '',
    ' ',
    '  ',
    '\n',
    '\u00a0',
    '-',
    ' - ',
    ' – ',
    ' to ',
    'toUS$',
    ' and ',
    'andCHF',
    '_',
    'a',
    ',',
    '.',
  ],
);
const word = fc.constantFrom(
  ...[
    '',
    'k',
    'M',
    'bn',
    'Mn',
    ' million',
    ' Thousand',
    'tn',
    ' lakhs',
    ' dollars',
    ' pounds sterling',
    'EUR',
  ],
  ...['usd', ' sats', 'msats', 'USDT', 'grand', 'Euros', 'tokens', 'x', 'é', 'ſ', 'B', 'to'],
);
const text = fc.array(fc.tuple(figure, joiner, word), { maxLength: 6 }).map((parts) => parts.flat().join(''));

describe('figure starts', () => {
  test('CURRENCY_AFTER and MAGNITUDE_ONLY match the same from the filtered starts', () => {
    fc.assert(
      fc.property(text, (value) => {
        const starts = digitRuns({}, value);
        const figures = figureStarts(value, starts);
        const ends = stretchEnds(value, figures);
        const currencyAfter = currencyAfterStarts(value, figures, ends, CURRENCY_AFTER_WORDS);
        expect(spansAt(value, currencyAfter, CURRENCY_AFTER)).toEqual(spansAt(value, starts, CURRENCY_AFTER));
        expect(spansAt(value, magnitudeStarts(value, figures, ends), MAGNITUDE_ONLY)).toEqual(
          spansAt(value, starts, MAGNITUDE_ONLY),
        );
      }),
      { numRuns: 5000 },
    );
  });

  test('the currency word set accepts what the currency word pattern accepts of a lower-case word', () => {
    const pattern =
      /^(?:(?:dollars?|bucks|euros?|pounds?(?: sterling)?|sterling|quid|yen|yuan|renminbi|francs?|rupees?|pesos?|reais|reals?|rand|won|kronor|kroner|krona|krone|zloty|zlotys|lira|shekels?|dirhams?|riyals?|rubles?|roubles?|bitcoins?|btc|satoshis?|sats?|ether|grand|cents?|pence)|(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|NZD|CNY|RMB|HKD|SGD|SEK|NOK|DKK|PLN|CZK|HUF|INR|BRL|MXN|ZAR|KRW|TRY|ILS|AED|SAR|RUB|UAH|NGN|KES|ARS|CLP|COP|PEN|THB|IDR|MYR|PHP|VND|BTC|XBT|ETH|USDT|USDC|sats?|SATS?|msats?))$/i;
    const word = fc.oneof(
      fc
        .tuple(fc.constantFrom(...CURRENCY_WORDS), fc.constantFrom('', 's', 'x'))
        .map(([known, end]) => known + end),
      fc.stringMatching(/^[a-z]{1,9}$/),
    );
    fc.assert(
      fc.property(word, (value) => expect(CURRENCY_WORDS.has(value)).toBe(pattern.test(value))),
      {
        numRuns: 5000,
      },
    );
  });
});
