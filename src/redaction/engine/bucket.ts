/**
 * Coarse buckets that replace amounts and dates when the caller asks for them (`bucket.amounts`,
 * `bucket.dates`): the model sees an order of magnitude or a quarter, never the exact value. The
 * label grammar is strict, so text shaped like a label can be recognised (and only a coarse value
 * can hide in it).
 */

const CURRENCIES: [RegExp, string][] = [
  [/us\$|usd|\$|dollars?|bucks/i, 'USD'],
  [/€|eur|euros?/i, 'EUR'],
  [/£|gbp|pounds?|sterling|quid/i, 'GBP'],
  [/¥|jpy|yen/i, 'JPY'],
  [/chf|francs?/i, 'CHF'],
  [/₿|btc|xbt|bitcoins?/i, 'BTC'],
  [/sats?|satoshis?/i, 'SATS'],
];
const MAGNITUDES: [RegExp, number][] = [
  [/\b(?:trillion|tn|t)\b/i, 1e12],
  [/\b(?:billion|bn|b|mrd)\b/i, 1e9],
  [/\b(?:million|mm|mn|m|mio|mil)\b/i, 1e6],
  [/\b(?:thousand|k|grand)\b/i, 1e3],
];
const WORD_VALUES: Record<string, number> = {
  zero: 0,
  one: 1,
  a: 1,
  an: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  half: 0.5,
  quarter: 0.25,
  dozen: 12,
  couple: 2,
  few: 3,
  several: 5,
};

function wordedValue(text: string): number | null {
  let total = 0;
  let current = 0;
  let any = false;
  for (const word of text.toLowerCase().split(/[\s-]+/)) {
    if (word in WORD_VALUES) {
      current += WORD_VALUES[word]!;
      any = true;
    } else if (word === 'hundred') current = (current || 1) * 100;
    else if (word === 'thousand' || word === 'grand') {
      total += (current || 1) * 1e3;
      current = 0;
    } else if (word === 'million' || word === 'billion' || word === 'trillion') {
      const scale = word === 'million' ? 1e6 : word === 'billion' ? 1e9 : 1e12;
      total += (current || 1) * scale;
      current = 0;
      any = true;
    }
  }
  return any || total > 0 ? total + current : null;
}

function numericValue(text: string): number | null {
  const figure = /\d[\d,.' ]*/.exec(text);
  if (!figure) return null;
  let digits = figure[0].trim().replace(/[' ]/g, '');
  // "1.200.000" and "1,200,000" are thousands groups; a single "," or "." followed by 1–2 digits is decimal.
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(digits)) digits = digits.replace(/[.,]/g, '');
  else digits = digits.replace(/,(?=\d{3}\b)/g, '').replace(',', '.');
  const value = Number.parseFloat(digits);
  if (!Number.isFinite(value)) return null;
  const rest = text.slice(figure.index + figure[0].length);
  for (const [pattern, scale] of MAGNITUDES) if (pattern.test(rest.slice(0, 12))) return value * scale;
  return value;
}

function shortScale(value: number): string {
  if (value >= 1e12) return `${value / 1e12}T`;
  if (value >= 1e9) return `${value / 1e9}B`;
  if (value >= 1e6) return `${value / 1e6}M`;
  if (value >= 1e3) return `${value / 1e3}k`;
  return String(value);
}

/** "[AMOUNT ≈ USD 1M–10M]" for "$2.5 million"; null when the value cannot be read. */
export function amountBucket(text: string): string | null {
  const value = /\d/.test(text) ? numericValue(text) : wordedValue(text);
  if (value === null || value <= 0) return null;
  const currency = CURRENCIES.find(([pattern]) => pattern.test(text))?.[1];
  const low = 10 ** Math.floor(Math.log10(value));
  const range = value < 1 ? 'under 1' : `${shortScale(low)}–${shortScale(low * 10)}`;
  return `[AMOUNT ≈ ${currency ? `${currency} ` : ''}${range}]`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "[DATE ≈ 2024-Q1]" for "March 15, 2024", "[DATE ≈ 2024]" when only the year is known; null without a year. */
export function dateBucket(text: string): string | null {
  const lower = text.toLowerCase();
  const year = /(?<!\d)(1[6-9]\d\d|2[01]\d\d)(?!\d)/.exec(lower);
  if (!year) return null;
  let month: number | null = null;
  const iso = /(?<!\d)\d{4}[-/.](\d{1,2})[-/.]\d{1,2}/.exec(lower);
  const quarter = /q([1-4])/.exec(lower);
  if (iso) month = Number(iso[1]);
  else if (quarter) month = (Number(quarter[1]) - 1) * 3 + 1;
  else {
    const named = MONTHS.findIndex((name) => new RegExp(`(?<![a-z])${name}`).test(lower));
    if (named >= 0) month = named + 1;
  }
  if (month === null || month < 1 || month > 12) return `[DATE ≈ ${year[1]}]`;
  return `[DATE ≈ ${year[1]}-Q${Math.ceil(month / 3)}]`;
}

/** Text that is exactly a bucket label this engine writes. */
export const BUCKET_LABEL =
  /\[AMOUNT ≈ (?:[A-Z]{3,4} )?(?:under 1|\d{1,3}(?:k|M|B|T)?[–-]\d{1,4}(?:k|M|B|T)?)\]|\[DATE ≈ (?:1[6-9]|2[01])\d\d(?:-Q[1-4])?\]/g;
