import { isIP } from 'node:net';
import type { Detector } from './detector';
import { matchesAt } from './text-scan';
import { ipv4Starts, mayHoldIpv6 } from './ip-scan';

export const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?(?![\d]|\.\d)/y;
/** Hex groups joined by colons (at least two colons); validated with the platform's parser. */
export const IPV6 =
  /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?:%[\w]{1,16})?(?:\/\d{1,3})?(?![\w:])/gi;

/** IPv4 and IPv6 addresses. */
export const detectIps: Detector = (view, claims) => {
  for (const match of matchesAt(view.text, ipv4Starts(view.text), IPV4)) {
    const address = match[0].split('/')[0]!;
    if (isIP(address) !== 4) continue;
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'token',
      type: 'IP',
      canonical: match[0],
      detector: 'ip',
    });
  }
  for (const match of mayHoldIpv6(view.text) ? view.text.matchAll(IPV6) : []) {
    const address = match[0].split(/[/%]/)[0]!;
    if (isIP(address) !== 6 || !/[0-9a-f]/i.test(address)) continue;
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'token',
      type: 'IP',
      canonical: view.lower.slice(match.index, match.index + match[0].length),
      detector: 'ip',
    });
  }
};
