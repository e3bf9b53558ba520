import { PLACEHOLDER_TYPES } from './engine/placeholders';
import type { PlaceholderType } from './engine/types';

export { PLACEHOLDER_TYPES };

const TYPE_SET = new Set<string>(PLACEHOLDER_TYPES);

export function isPlaceholderType(value: string): value is PlaceholderType {
  return TYPE_SET.has(value);
}

export function formatPlaceholder(type: PlaceholderType, number: number): string {
  return `[${type}_${number}]`;
}

const EXACT = new RegExp(`^\\[(${PLACEHOLDER_TYPES.join('|')})_([1-9][0-9]*)\\]$`);

/** The type and number of an exactly formatted placeholder, or null. */
export function parsePlaceholder(text: string): { type: PlaceholderType; number: number } | null {
  const match = EXACT.exec(text);
  if (!match) return null;
  const number = Number(match[2]);
  if (!Number.isSafeInteger(number)) return null;
  return { type: match[1] as PlaceholderType, number };
}
