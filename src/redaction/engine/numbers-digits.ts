import { digitRunStarts } from './text-scan';

/**
 * Where digit runs start, for the number, amount, date, address and age layers: `digitRunStarts`
 * (text-scan.ts), cached per holder there, so the tier-1 layer and these share one list per text.
 */
export function digitRuns(holder: object, text: string): number[] {
  return digitRunStarts(holder, text);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

const outsideCache = new WeakMap<object, number[]>();

/**
 * A placeholder's number ("[PERSON_12]", in the re-scanned output): digits right after "_" and
 * right before "]". No amount, date or address pattern can use such a run: each needs the
 * character before its first digit to be no word character, or a space, a symbol, a letter or a
 * date separator, and the one after it to be a digit, a separator, a space or a letter; only a
 * bare year ("[DATE_1999]") can, so four digits starting with 19 or 20 are kept.
 */
function isPlaceholderNumber(text: string, start: number): boolean {
  if (text.charCodeAt(start - 1) !== 95) return false;
  let end = start;
  while (isDigit(text.charCodeAt(end))) end += 1;
  if (text.charCodeAt(end) !== 93) return false;
  return !(end - start === 4 && (text.startsWith('19', start) || text.startsWith('20', start)));
}

/**
 * `digitRuns` without placeholder numbers (see isPlaceholderNumber). Runs after "_" are rare in
 * input, so the runs are only copied (and the copy cached per holder) when there are some.
 */
export function digitRunsOutsidePlaceholders(holder: object, text: string): number[] {
  const all = digitRuns(holder, text);
  if (!all.some((start) => text.charCodeAt(start - 1) === 95)) return all;
  const cached = outsideCache.get(holder);
  if (cached) return cached;
  const starts = all.filter((start) => !isPlaceholderNumber(text, start));
  outsideCache.set(holder, starts);
  return starts;
}
