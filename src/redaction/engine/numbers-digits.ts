/**
 * Where digit runs start, for the number, amount, date, address and age layers: the same offsets
 * as `digitRunStarts` (text-scan.ts), found by letting a regex skip the stretches without digits.
 */

const DIGIT = /[0-9]/g;
const cache = new WeakMap<object, number[]>();

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Offsets where a run of digits begins; ".5" and ",75" start at their separator too (cached per holder). */
export function digitRuns(holder: object, text: string): number[] {
  const cached = cache.get(holder);
  if (cached) return cached;
  const starts: number[] = [];
  DIGIT.lastIndex = 0;
  while (DIGIT.test(text)) {
    const start = DIGIT.lastIndex - 1;
    const before = text.charCodeAt(start - 1);
    if ((before === 46 || before === 44) && !isDigit(text.charCodeAt(start - 2))) starts.push(start - 1);
    starts.push(start);
    let end = start + 1;
    while (isDigit(text.charCodeAt(end))) end += 1;
    DIGIT.lastIndex = end;
  }
  cache.set(holder, starts);
  return starts;
}
