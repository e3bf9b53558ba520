import { isRegexSpace } from './text-scan';

/**
 * Small string edits of the number, amount and date layers without a regex call per finding:
 * most values hold no run of spaces to collapse and no separator to trim.
 */

/** `value.replace(/\s+/g, ' ')` */
export function collapseSpaces(value: string): string {
  for (let i = 0; i < value.length; i += 1)
    if (isRegexSpace(value.charCodeAt(i))) return value.replace(/\s+/g, ' ');
  return value;
}

/** `value.replace(/[\s,]+$/, '')`, or `/[\s.,]+$/` with `dots`. */
export function trimSeparators(value: string, dots = false): string {
  let end = value.length;
  for (;;) {
    const code = value.charCodeAt(end - 1);
    if (!(isRegexSpace(code) || code === 44 || (dots && code === 46))) break;
    end -= 1;
  }
  return end === value.length ? value : value.slice(0, end);
}

/** `/\d/.test(value)` */
export function hasDigit(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}
