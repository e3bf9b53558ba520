import { formatPlaceholder, isPlaceholderType, PLACEHOLDER_TYPES } from './placeholder';

/**
 * Finding placeholders in a model's answer, as the model may have altered them: any letter case,
 * `_`, `\_`, `-` or a space between type and number, square brackets lost on either side or swapped
 * for round, curly or angle ones, Markdown escapes (`\[PERSON\_1\]`). Emphasis around a token is left
 * in place around the restored value. Only readings that cannot be ordinary text are accepted:
 * without a square bracket or a bracket pair the separator must be an underscore, and the number
 * is never followed by another digit or letter (`[PERSON_1]` never matches `[PERSON_10]`).
 */
const TYPES = PLACEHOLDER_TYPES.join('|');
// Every part is a bounded alternation or a single optional character: no nested quantifiers.
const TOKEN_SOURCE = `(\\\\?\\[|\\(|\\{|<)?( ?)(?<![\\p{L}\\p{N}])(${TYPES})(\\\\?_|-| )([1-9][0-9]{0,8})(?![\\p{N}])( ?)(\\\\?\\]|\\)|\\}|>)?`;

export function tokenPattern(): RegExp {
  return new RegExp(TOKEN_SOURCE, 'giu');
}

const PARTNERS: Record<string, string> = { '[': ']', '\\[': '\\]', '(': ')', '{': '}', '<': '>' };

function isSquare(bracket: string | undefined): boolean {
  return bracket === '[' || bracket === '\\[' || bracket === ']' || bracket === '\\]';
}

function pairs(open: string, close: string): boolean {
  return PARTNERS[open] === close || (isSquare(open) && isSquare(close));
}

export interface TokenMatch {
  /** Start and end of the accepted text (brackets included when they belong to the token). */
  start: number;
  end: number;
  /** The canonical placeholder, e.g. `[PERSON_1]`. */
  placeholder: string;
  /** The text as the model wrote it. */
  written: string;
}

/**
 * Decides whether a raw pattern match is a placeholder and which brackets belong to it. Returns
 * null for text that only looks similar (e.g. "Date 1" in prose).
 */
export function acceptMatch(match: RegExpExecArray, text: string): TokenMatch | null {
  const [whole, open, innerOpen = '', type, separator, number, innerClose = '', close] = match;
  const upperType = type!.toUpperCase();
  if (!isPlaceholderType(upperType)) return null;
  let start = match.index;
  let end = match.index + whole.length;
  let usesOpen = false;
  let usesClose = false;
  const underscore = separator === '_' || separator === '\\_';
  // Round, curly or angle brackets around an intact `TYPE_N` are read as the text's own punctuation.
  if (open && close && pairs(open, close) && (isSquare(open) || !underscore)) {
    usesOpen = usesClose = true;
  } else {
    usesOpen = isSquare(open) && innerOpen === '';
    usesClose = isSquare(close) && innerClose === '';
  }
  if (!usesOpen) start += (open?.length ?? 0) + innerOpen.length;
  if (!usesClose) end -= (close?.length ?? 0) + innerClose.length;
  const bracketed = usesOpen || usesClose;
  if (!bracketed && !underscore) return null;
  // A letter right after the number (`PERSON_1st`) makes the reading ambiguous without a closing bracket.
  if (!usesClose && /\p{L}/u.test(text.charAt(end))) return null;
  return {
    start,
    end,
    placeholder: formatPlaceholder(upperType, Number(number)),
    written: text.slice(start, end),
  };
}

/** Every accepted placeholder in `text`, left to right, from `from` on (earlier text is context). */
export function* findTokens(text: string, from = 0): Generator<TokenMatch> {
  const pattern = tokenPattern();
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const accepted = acceptMatch(match, text);
    if (accepted) {
      yield accepted;
      pattern.lastIndex = accepted.end;
    } else {
      // Retry just past the start, so a rejected bracket does not hide a token right after it.
      pattern.lastIndex = match.index + 1;
    }
  }
}

/** The value behind a canonical placeholder, or null when the map never issued it. */
export type Resolve = (placeholder: string) => string | null;

export interface RehydrateResult {
  text: string;
  replaced: number;
  /** Placeholders the map never issued, as written; left unchanged in `text`. */
  unknown: string[];
}

/**
 * Restores issued placeholders in one left-to-right pass; an inserted value is never scanned again.
 * `escape` adapts a value to where it is inserted (e.g. inside a JSON string).
 */
export function rehydrate(
  text: string,
  resolve: Resolve,
  options: { from?: number; escape?: (value: string) => string } = {},
): RehydrateResult {
  const from = options.from ?? 0;
  let out = '';
  let cursor = from;
  let replaced = 0;
  const unknown: string[] = [];
  for (const token of findTokens(text, from)) {
    const value = resolve(token.placeholder);
    if (value === null) {
      unknown.push(token.written);
      continue;
    }
    out += text.slice(cursor, token.start) + (options.escape ? options.escape(value) : value);
    cursor = token.end;
    replaced += 1;
  }
  out += text.slice(cursor);
  return { text: out, replaced, unknown };
}

const TYPE_PREFIXES = new Set<string>();
for (const type of PLACEHOLDER_TYPES)
  for (let i = 1; i <= type.length; i++) TYPE_PREFIXES.add(type.slice(0, i));

const LONGEST_TOKEN = 64;

/**
 * Whether `tail` (the end of a stream so far) could still grow into a placeholder, so it must be
 * held back until more text arrives. At most 64 characters are ever held.
 */
export function couldGrowIntoToken(tail: string): boolean {
  if (tail.length === 0 || tail.length > LONGEST_TOKEN) return false;
  let rest = tail;
  const open = /^(?:\\\[|\\|\[|\(|\{|<)/.exec(rest)?.[0] ?? '';
  rest = rest.slice(open.length);
  if (open === '\\') return rest === ''; // a Markdown escape that may become `\[`
  if (open && rest.startsWith(' ')) rest = rest.slice(1);
  if (rest === '') return open !== '';
  const letters = /^\p{L}+/u.exec(rest)?.[0] ?? '';
  if (letters === '') return false;
  const upper = letters.toUpperCase();
  rest = rest.slice(letters.length);
  if (rest === '') return TYPE_PREFIXES.has(upper);
  if (!isPlaceholderType(upper)) return false;
  const separator = /^(?:\\_|\\|_|-| )/.exec(rest)?.[0] ?? '';
  if (separator === '') return false;
  rest = rest.slice(separator.length);
  if (separator === '\\') return rest === '';
  const digits = /^[0-9]*/.exec(rest)![0];
  rest = rest.slice(digits.length);
  if (digits === '' || digits.startsWith('0')) return rest === '' && digits === '';
  // A complete number may still be followed by more digits, a bracket or an escape.
  return rest === '' || rest === ' ' || rest === '\\';
}

/** Where the held-back tail of `text` starts (text.length when nothing needs holding). */
export function holdbackStart(text: string): number {
  const first = Math.max(0, text.length - LONGEST_TOKEN);
  for (let i = first; i < text.length; i++) {
    const char = text.charAt(i);
    if (!/[\\[({<\p{L}]/u.test(char)) continue;
    // A type name only starts a token at a word boundary.
    if (/\p{L}/u.test(char) && i > 0 && /[\p{L}\p{N}]/u.test(text.charAt(i - 1))) continue;
    if (couldGrowIntoToken(text.slice(i))) return i;
  }
  return text.length;
}
