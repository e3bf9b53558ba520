import type { Detector } from './detector';
import { isAsciiAlnum } from './text-scan';

function isLocalChar(code: number): boolean {
  return (
    isAsciiAlnum(code) ||
    code === 46 ||
    code === 95 ||
    code === 37 ||
    code === 43 ||
    code === 45 ||
    code === 39
  );
}

function isDomainChar(code: number): boolean {
  return isAsciiAlnum(code) || code === 45 || code === 46;
}

/**
 * E-mail addresses, including internal domains without a public suffix (`ops@crm`). Scanned
 * outward from each `@` with bounded lengths, so no input makes it slow.
 */
export const detectEmails: Detector = (view, claims) => {
  const text = view.text;
  let at = text.indexOf('@');
  while (at >= 0) {
    let start = at;
    while (start > 0 && at - start < 64 && isLocalChar(text.charCodeAt(start - 1))) start -= 1;
    while (start < at && !isAsciiAlnum(text.charCodeAt(start))) start += 1;
    let end = at + 1;
    while (end < text.length && end - at < 255 && isDomainChar(text.charCodeAt(end))) end += 1;
    while (end > at + 1 && !isAsciiAlnum(text.charCodeAt(end - 1))) end -= 1;
    if (start < at && end > at + 1) {
      const value = view.lower.slice(start, end);
      claims.claim({ start, end, action: 'token', type: 'EMAIL', canonical: value, detector: 'email' });
    }
    at = text.indexOf('@', Math.max(at + 1, end));
  }
};
