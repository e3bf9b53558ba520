import type { Detector } from './detector';
import type { FoldedText } from './fold';
import type { Claims } from './span';
import { bitcoinIdentifier } from '../validators/bitcoin';
import { decodeBech32 } from '../validators/bech32';
import { extendedKeyKind } from '../validators/extended-key';
import { isBip39Mnemonic, isBip39Word } from '../validators/bip39';
import { isAsciiAlnum, isWordChar } from './text-scan';
import { mayHoldSeedPhrase } from './crypto-seed';
import { asciiClass, hasLongRun } from './secrets-runs';
import { hasKeyRun, SHORTEST_KEY_RUN } from './secrets';

const BASE58_TOKEN = /(?<![A-Za-z0-9])[1-9A-HJ-NP-Za-km-z]{25,120}(?![A-Za-z0-9])/g;
const BECH32_TOKEN =
  /(?<![A-Za-z0-9])(?:bc|tb|bcrt|BC|TB|BCRT)1[02-9ac-hj-np-zAC-HJ-NP-Z]{6,87}(?![A-Za-z0-9])/g;
const LIGHTNING =
  /(?<![A-Za-z0-9])(?:lightning:)?((?:ln|LN)(?:bc|tb|bcrt|tbs|BC|TB|BCRT|TBS)[0-9a-zA-Z]{1,2048})(?![A-Za-z0-9])/g;
const ETHEREUM = /(?<![A-Za-z0-9])0x[0-9a-fA-F]{40}(?![A-Za-z0-9])/g;

function claimBase58(view: FoldedText, claims: Claims): void {
  for (const match of view.text.matchAll(BASE58_TOKEN)) {
    const value = match[0];
    const end = match.index + value.length;
    const bitcoin = bitcoinIdentifier(value);
    if (bitcoin) {
      const type = bitcoin.kind === 'wif' ? 'SECRET' : 'CRYPTO';
      claims.claim({
        start: match.index,
        end,
        action: 'token',
        type,
        canonical: value,
        detector: `bitcoin:${bitcoin.kind}`,
      });
      continue;
    }
    const extended = extendedKeyKind(value);
    if (extended) {
      const type = extended === 'private' ? 'SECRET' : 'CRYPTO';
      claims.claim({
        start: match.index,
        end,
        action: 'token',
        type,
        canonical: value,
        detector: `bip32:${extended}`,
      });
    }
  }
}

function claimBech32(view: FoldedText, claims: Claims): void {
  for (const match of view.text.matchAll(BECH32_TOKEN)) {
    if (!bitcoinIdentifier(match[0])) continue;
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'token',
      type: 'CRYPTO',
      canonical: match[0].toLowerCase(),
      detector: 'bitcoin:segwit',
    });
  }
  for (const match of view.text.matchAll(LIGHTNING)) {
    if (!decodeBech32(match[1]!, 4096)) continue;
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'token',
      type: 'CRYPTO',
      canonical: match[1]!.toLowerCase(),
      detector: 'lightning',
    });
  }
}

function claimEthereum(view: FoldedText, claims: Claims): void {
  // EIP-55 needs keccak-256, which node:crypto lacks; every 0x+40-hex value is taken (leak first).
  for (const match of view.text.matchAll(ETHEREUM)) {
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'token',
      type: 'CRYPTO',
      canonical: match[0].toLowerCase(),
      detector: 'ethereum',
    });
  }
}

/**
 * BIP-39 seed phrases: runs of at least 12 word-list words, separated by spaces, commas, line
 * breaks or list numbering. A checksum-valid run is certain; any 12+ run is taken as well, because
 * a seed phrase with a typo is still a seed phrase.
 */
function claimSeedPhrases(view: FoldedText, claims: Claims): void {
  const lower = view.lower;
  if (!mayHoldSeedPhrase(lower)) return;
  let runStart = -1;
  let runEnd = -1;
  let run: string[] = [];
  const flush = (): void => {
    if (run.length >= 12) {
      const detector = isBip39Mnemonic(run) ? 'bip39' : 'bip39-run';
      claims.claim({
        start: runStart,
        end: runEnd,
        action: 'token',
        type: 'SECRET',
        canonical: run.join(' '),
        detector,
      });
    }
    run = [];
    runStart = -1;
  };
  let index = 0;
  while (index < lower.length) {
    const code = lower.charCodeAt(index);
    if (code < 97 || code > 122) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < lower.length && lower.charCodeAt(end) >= 97 && lower.charCodeAt(end) <= 122) end += 1;
    const boundary = !isWordChar(lower, index - 1) && !isWordChar(lower, end);
    const word = end - index >= 3 && end - index <= 8 && boundary ? lower.slice(index, end) : '';
    if (word && isBip39Word(word)) {
      const joined = run.length > 0 && /^[\s,;.\-)(\d]{1,8}$/.test(lower.slice(runEnd, index));
      if (!joined) flush();
      if (run.length === 0) runStart = index;
      run.push(word);
      runEnd = end;
    } else flush();
    index = end;
  }
  flush();
}

/** Cryptocurrency identifiers, accepted on their checksums: CRYPTO for public ones, SECRET for keys. */
/** The shortest identifier here (a bech32 address with a 2-byte witness program) has 14 characters. */
const SHORTEST_IDENTIFIER = 14;
const ALNUM = asciiClass(isAsciiAlnum);

export const detectCrypto: Detector = (view, claims) => {
  claimSeedPhrases(view, claims);
  // Letters and digits are key characters too: with no long key run there is no long alnum run.
  const alnumRunPossible = SHORTEST_KEY_RUN > SHORTEST_IDENTIFIER || hasKeyRun(view);
  if (!alnumRunPossible || !hasLongRun(view.text, ALNUM, SHORTEST_IDENTIFIER)) return;
  claimBech32(view, claims);
  claimBase58(view, claims);
  claimEthereum(view, claims);
};
