import { fnv1a, pick, seededRandom, WORDS } from './deterministic';

export type FinishReason = 'stop' | 'length';

export interface Generation {
  /** Token texts; concatenated they are the completion text. */
  tokens: string[];
  finishReason: FinishReason;
}

/**
 * The deterministic completion for a prompt: a sentence of `naturalLength` words drawn from a PRNG
 * seeded by the prompt, cut to `maxTokens` (finish reason "length") when that is shorter. A shorter
 * limit therefore yields a prefix of the longer answer, as greedy decoding would.
 */
export function generate(seedText: string, naturalLength: number, maxTokens: number | undefined): Generation {
  const random = seededRandom(fnv1a(seedText));
  const words: string[] = [];
  for (let i = 0; i < naturalLength; i++) words.push(pick(WORDS, random));
  const tokens = words.map((word, i) => {
    if (i === 0) return word.charAt(0).toUpperCase() + word.slice(1);
    return i === naturalLength - 1 ? ` ${word}.` : ` ${word}`;
  });
  if (maxTokens !== undefined && maxTokens < naturalLength) {
    return { tokens: tokens.slice(0, maxTokens), finishReason: 'length' };
  }
  return { tokens, finishReason: 'stop' };
}

/** A rough token count: words and punctuation marks, as a BPE tokenizer roughly counts English. */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
}

/** Tokens the chat template adds around each message, and to open the assistant turn. */
const PER_MESSAGE_OVERHEAD = 5;
const ASSISTANT_PRIMER = 3;

export function countChatTokens(messageTexts: string[]): number {
  let total = ASSISTANT_PRIMER;
  for (const text of messageTexts) total += PER_MESSAGE_OVERHEAD + countTokens(text);
  return total;
}
