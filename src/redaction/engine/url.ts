import type { Detector } from './detector';
import { matchesAt } from './text-scan';
import { hostStarts, schemeStarts } from './url-scan';

/** Top-level domains accepted for scheme-less URLs (common generic ones and every country code). */
const TLDS = new Set(
  (
    'com org net edu gov mil int io co ai app dev info biz me tv xyz online site tech cloud capital fund ' +
    'finance money bank vc ventures partners holdings group llc inc ltd global agency email law legal news ' +
    'ac ad ae af ag al am ao ar as at au aw az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz ca cc cd ' +
    'cf cg ch ci ck cl cm cn cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg es et eu fi fj fk fm fo fr ga gd ' +
    'ge gf gg gh gi gl gm gn gp gq gr gt gu gw gy hk hn hr ht hu id ie il im in iq ir is it je jm jo jp ke kg ' +
    'kh ki km kn kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md mg mh mk ml mm mn mo mq mr ms mt mu mv ' +
    'mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru ' +
    'rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st sv sx sy sz tc td tg th tj tk tl tm tn to tr tt tw tz ' +
    'ua ug uk us uy uz va vc ve vg vi vn vu ws ye za zm zw onion local internal lan corp'
  ).split(' '),
);

export const SCHEME_URL =
  /\b(?:https?|ftp|sftp|ssh|wss?|file|git|s3|gs|smb|ipfs|lightning|bitcoin):\/{0,2}[^\s<>"'`\])}]{1,2048}/iy;
/** `host.tld` with optional port and path; `www.` hosts need no known TLD. */
export const BARE_HOST =
  /(?<![\w@.\-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}([a-z]{2,24})(?::\d{2,5})?(?:\/[^\s<>"'`\])}]{0,2048})?/iy;

function trimTrailingPunctuation(text: string, start: number, end: number): number {
  while (end > start && '.,;:!?'.includes(text[end - 1]!)) end -= 1;
  return end;
}

/** URLs with a scheme, and scheme-less hosts (`example.com/path`, `www.example.org`, `linkedin.com/in/x`). */
export const detectUrls: Detector = (view, claims) => {
  for (const match of matchesAt(view.text, schemeStarts(view.text), SCHEME_URL)) {
    const end = trimTrailingPunctuation(view.text, match.index, match.index + match[0].length);
    if (end - match.index < 8) continue;
    claims.claim({
      start: match.index,
      end,
      action: 'token',
      type: 'URL',
      canonical: view.lower.slice(match.index, end),
      detector: 'url',
    });
  }
  for (const match of matchesAt(view.text, hostStarts(view.text), BARE_HOST)) {
    const tld = match[1]!.toLowerCase();
    const www = match[0].toLowerCase().startsWith('www.');
    if (!www && !TLDS.has(tld)) continue;
    const end = trimTrailingPunctuation(view.text, match.index, match.index + match[0].length);
    const host = view.text.slice(match.index, end);
    // "e.g" / "i.e" style abbreviations and version numbers are not hosts.
    if (/^(?:e\.g|i\.e|a\.m|p\.m|u\.s|u\.k|etc)\b/i.test(host) || !/[a-z]{2}/i.test(host.split('.')[0]!))
      continue;
    claims.claim({
      start: match.index,
      end,
      action: 'token',
      type: 'URL',
      canonical: view.lower.slice(match.index, end),
      detector: 'url',
    });
  }
};
