import { COMMON_WORDS } from './wordlists/common-words';
import { GIVEN_NAMES } from './wordlists/given-names';

/**
 * English contractions, with the apostrophe and in the forms commonly typed without it. The word
 * list has none, and a text with almost no capitals would otherwise read "isn't" as a name.
 */
const CONTRACTIONS = [
  ...`ain't aren't can't couldn't didn't doesn't don't hadn't hasn't haven't isn't mightn't mustn't
  needn't shan't shouldn't wasn't weren't won't wouldn't i'm i've i'll i'd you're you've you'll
  you'd he's he'll he'd she's she'll she'd it's it'll it'd we're we've we'll we'd they're they've
  they'll they'd that's that'll there's there'll here's what's what're who's who'll who'd where's
  how's let's y'all o'clock`.split(/\s+/),
  ...`arent couldnt didnt doesnt dont hadnt hasnt havent isnt mightnt mustnt shouldnt wasnt werent
  wouldnt youre theyre`.split(/\s+/),
];

/** Common English words (lower-case), contractions included. */
export const commonWords: ReadonlySet<string> = new Set([...COMMON_WORDS.split(' '), ...CONTRACTIONS]);
/** Common given names (lower-case). */
export const givenNames: ReadonlySet<string> = new Set(GIVEN_NAMES.split(' '));

/** Name particles that stay inside a name ("Maika van de Noort", "Ali bin Said"). */
export const NAME_PARTICLES: ReadonlySet<string> = new Set(
  'van von der den de del della di da das dos du la le st ter ten bin ibn al el ben mac mc ap'.split(' '),
);

/** Honorifics and titles that announce a person's name. */
export const HONORIFICS: ReadonlySet<string> = new Set(
  'mr mrs ms miss mx dr prof professor sir dame lord lady rev fr sr jr mister madam madame mme mlle herr frau sra sr srta dona don capt captain col colonel gen general lt sgt hon judge justice senator sen rep president ceo cfo coo cto'.split(
    ' ',
  ),
);
