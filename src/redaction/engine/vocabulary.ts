import { COMMON_WORDS } from './wordlists/common-words';
import { GIVEN_NAMES } from './wordlists/given-names';

/** Common English words (lower-case). */
export const commonWords: ReadonlySet<string> = new Set(COMMON_WORDS.split(' '));
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
