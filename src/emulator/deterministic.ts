/** Deterministic building blocks: the emulator never uses Math.random, so every answer is reproducible. */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a, 32 bits, over a string's UTF-8 bytes or a buffer; `seed` continues a previous hash. */
export function fnv1a(data: string | Uint8Array, seed = FNV_OFFSET): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** A seeded PRNG (mulberry32): returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Words the emulated models "say". Plain lower-case words, so token boundaries are obvious. */
export const WORDS: readonly string[] = (
  'the cluster answers quickly and every node reports its state model tokens stream through a gateway that ' +
  'keeps audio on local network spark memory is shared between processes while queues stay short because ' +
  'requests arrive one at time speech text vectors search finds close documents with care emulated service ' +
  'replies in order so tests can rely upon each word here'
).split(' ');
