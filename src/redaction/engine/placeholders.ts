import type { Detector } from './detector';
import { BUCKET_LABEL } from './bucket';
import { lookalikeSpans, PlaceholderShapes } from './placeholders-scan';

/** What replaces a Tier-1 identifier: it is cut out and never stored. */
export const TIER1_MARK = '[REDACTED]';

export const PLACEHOLDER_TYPES = [
  'PERSON',
  'ORG',
  'FUND',
  'EMAIL',
  'PHONE',
  'URL',
  'ADDR',
  'AMOUNT',
  'DATE',
  'LOC',
  'MISC',
  'CRYPTO',
  'SECRET',
  'IP',
  'CARD',
] as const;

const TYPES = PLACEHOLDER_TYPES.join('|');
/** The exact form this gateway mints. */
export const PLACEHOLDER = new RegExp(`\\[(?:${TYPES})_[1-9][0-9]{0,8}\\]`, 'g');
/**
 * Anything a tolerant rehydrator could read as a placeholder: any case, optional or alternative
 * brackets, Markdown escapes, `_`, `-` or space between type and number (space only inside brackets).
 */
export const LOOKALIKE = new RegExp(
  `[\\[<({]\\s{0,3}\\\\?(?:${TYPES})(?:\\\\?_|-|\\s{1,3})\\d{1,12}\\s{0,3}\\\\?[\\])>}]|\\b(?:${TYPES})(?:\\\\?_|-)\\d{1,12}(?!\\d)`,
  'gi',
);
/** LOOKALIKE anchored, tried only where lookalikeStarts says one may begin. */
export const LOOKALIKE_AT = new RegExp(LOOKALIKE.source, 'iy');

/**
 * Layer 1: placeholder-looking text already in the input. Placeholders this map issued stay as
 * they are (scrubbing is idempotent); anything else is tokenised as MISC, so it cannot pose as a
 * minted placeholder and still comes back verbatim on rehydration.
 */
export const detectPlaceholders: Detector = (view, claims, context) => {
  // Cut-out marks and bucket labels carry no value of their own; they stay as written.
  let mark = view.text.indexOf(TIER1_MARK);
  while (mark >= 0) {
    claims.claim({ start: mark, end: mark + TIER1_MARK.length, action: 'keep', detector: 'tier1-mark' });
    mark = view.text.indexOf(TIER1_MARK, mark + 1);
  }
  // Every bucket label has a "≈".
  for (const match of view.text.includes('≈') ? view.text.matchAll(BUCKET_LABEL) : []) {
    claims.claim({
      start: match.index,
      end: match.index + match[0].length,
      action: 'keep',
      detector: 'bucket-label',
    });
  }
  // A folded text equal to its original folded every character to itself: a match is its own original.
  const unfolded = view.original === view.text;
  const spans = lookalikeSpans(view.text, SHAPES, LOOKALIKE_AT);
  for (let k = 0; k < spans.length; k += 2) {
    const start = spans[k]!;
    const end = spans[k + 1]!;
    const found = view.text.slice(start, end);
    const originalText = unfolded ? found : view.original.slice(view.starts[start], view.ends[end - 1]);
    const keep = originalText === found && SHAPES.exactEnd(view.text, start) === end && context.issued(found);
    if (keep) claims.claim({ start, end, action: 'keep', detector: 'placeholder' });
    else
      claims.claim({
        start,
        end,
        action: 'token',
        type: 'MISC',
        canonical: `placeholder:${found}`,
        detector: 'placeholder',
      });
  }
};

/** The exact form as a whole string (PlaceholderShapes.exactEnd reads it in place). */
export const PLACEHOLDER_EXACT = new RegExp(`^\\[(?:${TYPES})_[1-9][0-9]{0,8}\\]$`);
const SHAPES = new PlaceholderShapes(PLACEHOLDER_TYPES);
