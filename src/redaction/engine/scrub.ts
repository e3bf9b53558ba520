import type { DetectContext } from './detector';
import { detect, type Detection } from './detect';
import { TIER1_MARK } from './placeholders';
import { amountBucket, dateBucket } from './bucket';
import type {
  KnownEntities,
  ScrubFunction,
  ScrubOptions,
  ScrubbedItem,
  Tier1Kind,
  TokenMinter,
} from './types';
import { verify } from './verify';

function mergeEntities(...lists: (KnownEntities | undefined)[]): KnownEntities {
  const merged: Required<{ [K in keyof KnownEntities]: string[] }> = {
    persons: [],
    orgs: [],
    funds: [],
    emails: [],
    locations: [],
  };
  for (const list of lists) {
    if (!list) continue;
    for (const key of Object.keys(merged) as (keyof KnownEntities)[]) {
      for (const value of list[key] ?? [])
        if (typeof value === 'string' && value.trim()) merged[key].push(value);
    }
  }
  return merged;
}

function tier1Kinds(detection: Detection): Tier1Kind[] {
  const kinds = new Set<Tier1Kind>();
  for (const finding of detection.findings) if (finding.action === 'tier1') kinds.add(finding.kind);
  return [...kinds].sort();
}

interface Rendered {
  text: string;
  tier1: number;
  tokenised: number;
  values: string[];
  /** The issued placeholders in `text`, in order of first appearance. */
  placeholders: string[];
}

/** Builds the scrubbed text from the original and its findings, minting placeholders. */
function render(detection: Detection, minter: TokenMinter, bucket: ScrubOptions['bucket']): Rendered {
  const { view, findings } = detection;
  const original = view.original;
  let text = '';
  let cursor = 0;
  let tier1 = 0;
  let tokenised = 0;
  const values: string[] = [];
  const placeholders = new Set<string>();
  for (const finding of findings) {
    const start = view.starts[finding.start]!;
    const end = view.ends[finding.end - 1]!;
    if (start < cursor) continue; // cannot happen with non-overlapping findings; never emit twice
    text += original.slice(cursor, start);
    const value = original.slice(start, end);
    switch (finding.action) {
      case 'keep':
        text += value;
        if (finding.detector === 'placeholder') placeholders.add(value);
        break;
      case 'tier1':
        text += TIER1_MARK;
        tier1 += 1;
        break;
      case 'bucket':
        text += finding.label;
        values.push(value);
        break;
      case 'token': {
        const label =
          finding.type === 'AMOUNT' && bucket?.amounts
            ? amountBucket(value)
            : finding.type === 'DATE' && bucket?.dates
              ? dateBucket(value)
              : null;
        if (label) text += label;
        else {
          const placeholder = minter.placeholderFor(finding.type, value, finding.canonical);
          text += placeholder;
          placeholders.add(placeholder);
          tokenised += 1;
        }
        values.push(value);
        break;
      }
    }
    cursor = end;
  }
  text += original.slice(cursor);
  return { text, tier1, tokenised, values, placeholders: [...placeholders] };
}

interface ItemDetection extends Detection {
  /** Whether a detector asked the minter about a placeholder (its answers change as it mints). */
  askedMinter: boolean;
}

function detectItem(text: string, context: DetectContext): ItemDetection {
  let askedMinter = false;
  const detection = detect(text, {
    issued: (placeholder) => {
      askedMinter = true;
      return context.issued(placeholder);
    },
    entities: context.entities,
  });
  return { view: detection.view, findings: detection.findings, askedMinter };
}

/**
 * Scrubs items: pure and synchronous. Tier-1 identifiers are cut out (or the call is refused),
 * everything else sensitive becomes a placeholder minted by `minter`, and the output is verified
 * by a second full pass before anything is returned.
 */
export const scrub: ScrubFunction = (items, options, minter) => {
  const context: DetectContext = {
    issued: (placeholder) => minter.issued(placeholder),
    entities: mergeEntities(options.knownEntities, options.nerEntities),
  };
  const detections = items.map((item) => detectItem(item.text, context));

  if (options.tier1Action === 'reject') {
    const spans = items
      .map((item, index) => ({ item: item.id, kinds: tier1Kinds(detections[index]!) }))
      .filter((span) => span.kinds.length > 0);
    if (spans.length > 0) return { kind: 'tier1_detected', spans };
  }

  const scrubbed: ScrubbedItem[] = [];
  const failures: { item: string; kinds: string[] }[] = [];
  const distinct = new Set<string>();
  let tier1Dropped = 0;
  let tier2Tokenized = 0;
  for (const [index, item] of items.entries()) {
    const detection = detections[index]!;
    const rendered = render(detection, minter, options.bucket);
    // Detection is a pure function of the text and the minter's answers: an unchanged text whose
    // detection never asked the minter would be re-scanned into exactly the same findings.
    const repeat = rendered.text === item.text && !detection.askedMinter ? detection.findings : undefined;
    const residue = verify(rendered.text, rendered.values, context, repeat);
    if (residue) failures.push({ item: item.id, kinds: residue.kinds });
    const tokens = rendered.placeholders;
    for (const token of tokens) distinct.add(token);
    tier1Dropped += rendered.tier1;
    tier2Tokenized += rendered.tokenised;
    scrubbed.push({ id: item.id, scrubbed_text: rendered.text, tokens_used: tokens });
  }
  if (failures.length > 0) return { kind: 'verification_failed', items: failures };
  return {
    kind: 'scrubbed',
    items: scrubbed,
    stats: { tier1_dropped: tier1Dropped, tier2_tokenized: tier2Tokenized, distinct_entities: distinct.size },
  };
};
