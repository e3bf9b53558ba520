import type { DetectContext, Detector } from './detector';
import { fold, type FoldedText } from './fold';
import { Claims, type Finding } from './span';
import { detectPlaceholders } from './placeholders';
import { detectTier1 } from './tier1';
import { detectEmails } from './email';
import { detectUrls } from './url';
import { detectIps } from './ip';
import { detectNumbers } from './numbers';
import { detectKnownEntities } from './known-entities';
import { detectSecrets, detectHighEntropy } from './secrets';
import { detectCrypto } from './crypto';
import { detectAmounts } from './amounts';
import { detectDates } from './dates';
import { detectAddresses } from './addresses';
import { detectNames } from './names';
import { detectAges } from './age';

/** Every detection layer, strongest first: earlier layers win overlapping text. */
export const LAYERS: readonly Detector[] = [
  detectPlaceholders,
  detectSecrets,
  detectCrypto,
  detectTier1,
  detectEmails,
  detectUrls,
  detectIps,
  detectKnownEntities,
  detectAmounts,
  detectDates,
  detectAddresses,
  detectAges,
  detectNumbers,
  detectHighEntropy,
  detectNames,
];

export interface Detection {
  view: FoldedText;
  findings: Finding[];
}

/** Runs every layer over one text; findings are non-overlapping, in text order, in folded offsets. */
export function detect(text: string, context: DetectContext): Detection {
  const view = fold(text);
  const claims = new Claims(view.text.length);
  try {
    for (const layer of LAYERS) layer(view, claims, context);
    return { view, findings: claims.all() };
  } finally {
    claims.release();
  }
}
