/**
 * The contract between the scrub engine (pure, synchronous, no I/O) and the redaction routes
 * (map store, NER backstop, HTTP). The routes own persistence; the engine owns detection.
 */

/** Placeholder types; `[TYPE_N]` is the placeholder format. The four beyond the previous product's eleven are described in openapi/redaction.yaml. */
export type PlaceholderType =
  | 'PERSON'
  | 'ORG'
  | 'FUND'
  | 'EMAIL'
  | 'PHONE'
  | 'URL'
  | 'ADDR'
  | 'AMOUNT'
  | 'DATE'
  | 'LOC'
  | 'MISC'
  | 'CRYPTO'
  | 'SECRET'
  | 'IP'
  | 'CARD';

/**
 * Mints placeholders for one map. The same (type, value) always gets the same placeholder within
 * a map, and a reused map keeps its earlier placeholders. Implemented by the map store.
 * `value` is the exact text that was replaced; the minter decides equality (the engine passes a
 * `canonical` form so that "Maria Okafor" and "MARIA OKAFOR" share a placeholder).
 */
export interface TokenMinter {
  placeholderFor(type: PlaceholderType, value: string, canonical: string): string;
  /** True when `placeholder` (e.g. `[PERSON_3]`) was minted by this map. */
  issued(placeholder: string): boolean;
}

export interface KnownEntities {
  persons?: readonly string[];
  orgs?: readonly string[];
  funds?: readonly string[];
  emails?: readonly string[];
  locations?: readonly string[];
}

/** Names the NER backstop (the local LLM) found, treated like known entities for this call. */
export type NerEntities = KnownEntities;

export interface ScrubOptions {
  knownEntities?: KnownEntities;
  nerEntities?: NerEntities;
  tier1Action: 'drop' | 'reject';
  bucket?: { amounts?: boolean; dates?: boolean };
}

export interface ScrubbedItem {
  id: string;
  scrubbed_text: string;
  /** Distinct placeholders in `scrubbed_text`, in order of first appearance. */
  tokens_used: string[];
}

/** Kinds of Tier-1 identifiers (never values). */
export type Tier1Kind = 'account' | 'routing' | 'wire' | 'ssn' | 'iban' | 'swift' | 'passport' | 'gov_id';

export type ScrubOutcome =
  | {
      kind: 'scrubbed';
      items: ScrubbedItem[];
      stats: { tier1_dropped: number; tier2_tokenized: number; distinct_entities: number };
    }
  /** `tier1Action: 'reject'` and Tier-1 identifiers were found; nothing is emitted. */
  | { kind: 'tier1_detected'; spans: { item: string; kinds: Tier1Kind[] }[] }
  /** The re-scan of the output still found something detectable; nothing is emitted. */
  | { kind: 'verification_failed'; items: { item: string; kinds: string[] }[] };

/** The engine's entry point (implemented in `./scrub.ts`). */
export type ScrubFunction = (
  items: readonly { id: string; text: string }[],
  options: ScrubOptions,
  minter: TokenMinter,
) => ScrubOutcome;
