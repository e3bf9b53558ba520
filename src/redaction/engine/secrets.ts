import type { Detector } from './detector';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import { shannonEntropy } from './entropy';
import { isAsciiAlnum } from './text-scan';
import { asciiClass, hasLongRun, longRuns } from './secrets-runs';
import { someWordStarts } from './word-starts';

/** Provider key formats (prefix, charset and length), after gitleaks' and detect-secrets' rules. */
const PROVIDER_KEYS: [string[], RegExp][] = [
  [
    ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AIPA', 'ANPA', 'ANVA', 'AROA', 'APKA'],
    /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[0-9A-Z]{16}\b/g,
  ], // AWS access key id
  [['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g], // GitHub tokens
  [['github_pat_'], /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g],
  [['glpat-'], /\bglpat-[A-Za-z0-9_-]{20,64}\b/g], // GitLab
  [['xox'], /\bxox[abposr]-[A-Za-z0-9-]{10,255}\b/g], // Slack
  [['xapp-'], /\bxapp-\d-[A-Za-z0-9-]{10,255}\b/g],
  [['hooks.slack'], /\bhooks\.slack\.com\/services\/[A-Za-z0-9/_-]{20,255}/g],
  [['_live_', '_test_'], /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,255}\b/g], // Stripe
  [['whsec_'], /\bwhsec_[A-Za-z0-9]{20,255}\b/g],
  [['sk-ant-'], /\bsk-ant-[A-Za-z0-9_-]{20,255}/g], // Anthropic
  [['sk-'], /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,255}/g], // OpenAI
  [['hf_'], /\bhf_[A-Za-z0-9]{30,64}\b/g], // Hugging Face
  [['AIza'], /\bAIza[0-9A-Za-z_-]{35}\b/g], // Google API key
  [['ya29.'], /\bya29\.[0-9A-Za-z_-]{20,255}/g], // Google OAuth
  [['npm_'], /\bnpm_[A-Za-z0-9]{36}\b/g],
  [['pypi-'], /\bpypi-[A-Za-z0-9_-]{50,255}/g],
  [['SG.'], /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}\b/g], // SendGrid
  [['shp'], /\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b/g], // Shopify
  [['dop_v1_'], /\bdop_v1_[a-f0-9]{64}\b/g], // DigitalOcean
  [['AC', 'SK'], /\b(?:AC|SK)[a-f0-9]{32}\b/g], // Twilio
  [[':AA'], /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/g], // Telegram bot
  [['EAA'], /\bEAA[A-Za-z0-9]{30,255}\b/g], // Facebook
  [['key-'], /\bkey-[a-f0-9]{32}\b/g], // Mailgun
  [['-us'], /\b[A-Za-z0-9]{32}-us\d{1,2}\b/g], // Mailchimp
  [['AccountKey='], /\bAccountKey=[A-Za-z0-9+/=]{40,120}/g], // Azure storage
  [['nsec1'], /\bnsec1[a-z0-9]{50,70}\b/g], // Nostr private key
  [['macaroon', 'MACAROON', 'Macaroon'], /\blnd[a-z]{0,8}_?macaroon[=:]\s?[0-9a-f]{40,}/gi],
];

/** Characters of provider keys and JWTs, with the separators some of them carry: `[A-Za-z0-9_\-./:+=]`. */
function isKeyChar(code: number): boolean {
  return (
    isAsciiAlnum(code) ||
    code === 95 ||
    code === 45 ||
    code === 46 ||
    code === 47 ||
    code === 58 ||
    code === 43 ||
    code === 61
  );
}
const KEY_CHARS = asciiClass(isKeyChar);
/** Every provider key format and every JWT has a run of at least this many key characters. */
export const SHORTEST_KEY_RUN = 14;
const keyRuns = new WeakMap<FoldedText, boolean>();

/** Whether the view has a run of SHORTEST_KEY_RUN key characters (kept: the crypto layer asks too). */
export function hasKeyRun(view: FoldedText): boolean {
  let found = keyRuns.get(view);
  if (found === undefined) {
    found = hasLongRun(view.text, KEY_CHARS, SHORTEST_KEY_RUN);
    keyRuns.set(view, found);
  }
  return found;
}

export const JWT = /\beyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]{0,4096}/g;
const PASSWORD_ASSIGNMENT =
  /\b(?:password|passwd|passphrase|pwd|pass|pw|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|bearer|token|credentials?|pin|otp|macaroon)\b["']?\s{0,3}(?:[:=]|=>|is|was|:=)\s{0,3}["'`]?([^\s"'`,;]{4,256})/gi;
/** Word beginnings of PASSWORD_ASSIGNMENT's keywords (see word-starts.ts). */
const PASSWORD_HINTS = [
  'pas',
  'pwd',
  'pw',
  'sec',
  'cli',
  'api',
  'acc',
  'pri',
  'aut',
  'ref',
  'bea',
  'tok',
  'cre',
  'pin',
  'otp',
  'mac',
];
export const AUTH_HEADER =
  /\b(?:authorization|auth)\s{0,3}:\s{0,3}(?:bearer|basic|token)\s{1,3}([A-Za-z0-9._~+/=-]{8,4096})/gi;
const BASIC_AUTH_URL = /\b[a-z][a-z0-9+.-]{1,15}:\/\/([^\s:@/]{1,128}:[^\s@/]{1,256})@/gi;

function claimPem(view: FoldedText, claims: Claims): void {
  // "-----BEGIN " begins the word "begin" (see word-starts.ts).
  if (!someWordStarts(view, ['beg'])) return;
  const text = view.text;
  let at = text.indexOf('-----BEGIN ');
  while (at >= 0) {
    const headerEnd = text.indexOf('-----', at + 11);
    if (headerEnd < 0) break;
    const label = text.slice(at + 11, headerEnd);
    const footer = `-----END ${label}-----`;
    const footerAt = text.indexOf(footer, headerEnd);
    const isPrivate = /PRIVATE KEY|ENCRYPTED|SECRET/.test(label);
    if (isPrivate) {
      // An unterminated private key block is cut to the end of its base64 body.
      let end = footerAt >= 0 ? footerAt + footer.length : headerEnd + 5;
      if (footerAt < 0) while (end < text.length && /[A-Za-z0-9+/=\s]/.test(text[end]!)) end += 1;
      claims.claim({
        start: at,
        end,
        action: 'token',
        type: 'SECRET',
        canonical: text.slice(at, end).replace(/\s+/g, ''),
        detector: 'pem',
      });
    }
    at = text.indexOf('-----BEGIN ', headerEnd);
  }
}

function claimGroup(view: FoldedText, claims: Claims, pattern: RegExp, detector: string): void {
  for (const match of view.text.matchAll(pattern)) {
    const value = match[1];
    if (!value) continue;
    const start = match.index + match[0].lastIndexOf(value);
    claims.claim({
      start,
      end: start + value.length,
      action: 'token',
      type: 'SECRET',
      canonical: value,
      detector,
    });
  }
}

/** Values after "password is" that are ordinary words ("password is required") are not secrets. */
function plausibleSecret(value: string): boolean {
  if (
    /^(?:required|missing|invalid|incorrect|wrong|set|reset|changed|expired|the|a|an|not|none|null|empty|same|correct|strong|weak|needed|here|below|above|hidden|redacted)$/i.test(
      value,
    )
  )
    return false;
  return /[\d\W_]/.test(value) || value.length >= 8 || /[A-Z]/.test(value.slice(1));
}

/** Secrets: PEM private keys, provider key formats, JWTs, credentials in assignments, headers and URLs. */
export const detectSecrets: Detector = (view, claims) => {
  claimPem(view, claims);
  const keyShaped = hasKeyRun(view);
  for (const [hints, pattern] of keyShaped ? PROVIDER_KEYS : []) {
    if (!hints.some((hint) => view.text.includes(hint))) continue;
    for (const match of view.text.matchAll(pattern)) {
      claims.claim({
        start: match.index,
        end: match.index + match[0].length,
        action: 'token',
        type: 'SECRET',
        canonical: match[0],
        detector: 'provider-key',
      });
    }
  }
  // A JWT begins the word "eyJ…"; an authorization header the word "auth…" (see word-starts.ts).
  const jwtPossible = keyShaped && someWordStarts(view, ['eyj']) && view.text.includes('eyJ');
  for (const match of jwtPossible ? view.text.matchAll(JWT) : []) {
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'token',
      type: 'SECRET',
      canonical: match[0],
      detector: 'jwt',
    });
  }
  if (someWordStarts(view, ['aut']) && view.lower.includes('auth'))
    claimGroup(view, claims, AUTH_HEADER, 'auth-header');
  if (view.text.includes('://')) claimGroup(view, claims, BASIC_AUTH_URL, 'url-credentials');
  if (!someWordStarts(view, PASSWORD_HINTS)) return;
  for (const match of view.text.matchAll(PASSWORD_ASSIGNMENT)) {
    const value = match[1]!;
    if (!plausibleSecret(value)) continue;
    const start = match.index + match[0].length - value.length;
    claims.claim({
      start,
      end: start + value.length,
      action: 'token',
      type: 'SECRET',
      canonical: value,
      detector: 'assignment',
    });
  }
};

/** Token characters: `[A-Za-z0-9+/=_\-.~]`. */
function isTokenChar(code: number): boolean {
  return (
    isAsciiAlnum(code) ||
    code === 43 ||
    code === 47 ||
    code === 61 ||
    code === 95 ||
    code === 45 ||
    code === 46 ||
    code === 126
  );
}

const TOKEN_CHARS = asciiClass(isTokenChar);
const SHORTEST_TOKEN = 20;
const LONGEST_TOKEN = 4096;

/** Where `/[A-Za-z0-9+/=_\-.~]{20,4096}/g` matches: long token runs cut into 4096-character pieces. */
export function tokenPieces(text: string): { start: number; end: number }[] {
  const pieces: { start: number; end: number }[] = [];
  const runs = longRuns(text, TOKEN_CHARS, SHORTEST_TOKEN);
  for (let k = 0; k < runs.length; k += 2) {
    const end = runs[k + 1]!;
    for (let piece = runs[k]!; end - piece >= SHORTEST_TOKEN; piece += LONGEST_TOKEN)
      pieces.push({ start: piece, end: Math.min(end, piece + LONGEST_TOKEN) });
  }
  return pieces;
}

/**
 * Last layer: long random-looking tokens (API keys of unknown providers, session ids). Hex needs
 * 3 bits of entropy per character, other alphabets 4, after gitleaks and detect-secrets.
 */
export const detectHighEntropy: Detector = (view, claims) => {
  // Token characters other than "~" are key characters: a token run without "~" is a long key run.
  if (!hasKeyRun(view) && !view.text.includes('~')) return;
  for (const run of tokenPieces(view.text)) {
    let value = view.text.slice(run.start, run.end).replace(/[.\-_~=]+$/, '');
    const start = run.start;
    if (value.length < 20 || !claims.isFree(start, start + value.length)) continue;
    if (!/\d/.test(value) || !/[A-Za-z]/.test(value)) continue;
    if (/^[A-Za-z]+[-_.][A-Za-z]+(?:[-_.][A-Za-z]+)*$/.test(value)) continue;
    const hex = /^[0-9a-fA-F]+$/.test(value);
    const entropy = shannonEntropy(value);
    if (hex ? entropy < 3 || value.length < 24 : entropy < 4) continue;
    value = value.slice(0, 4096);
    claims.claim({
      start,
      end: start + value.length,
      action: 'token',
      type: 'SECRET',
      canonical: value,
      detector: 'entropy',
    });
  }
};
