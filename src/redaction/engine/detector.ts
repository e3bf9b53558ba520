import type { FoldedText } from './fold';
import type { Claims } from './span';
import type { KnownEntities } from './types';

export interface DetectContext {
  /** True when this map minted the placeholder (left untouched for idempotence). */
  issued(placeholder: string): boolean;
  /** Known entities plus NER entities for this call. */
  entities: KnownEntities;
}

/** One detection layer: reads the folded view and claims what it finds. */
export type Detector = (view: FoldedText, claims: Claims, context: DetectContext) => void;
