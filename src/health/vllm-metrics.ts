import type { components } from '../../generated/control';

/** The loaded model's vLLM figures, as `GET /api/nodes` reports them. */
export type VllmFigures = NonNullable<components['schemas']['NodeResourceList']['vllm']>;

interface Scrape {
  atMs: number;
  running: number;
  waiting: number;
  kvCacheUsage: number;
  promptTotal: number;
  generationTotal: number;
  model: string | null;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/;

/**
 * Sums each series of a Prometheus text exposition over its label sets (one vLLM engine per
 * model), and remembers the `model_name` label it saw.
 */
export function parseVllmMetrics(text: string, atMs: number): Scrape {
  const sums = new Map<string, number>();
  let model: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line.trim());
    if (!match) continue;
    const value = Number(match[4]);
    if (!Number.isFinite(value)) continue;
    const name = match[1]!;
    sums.set(name, (sums.get(name) ?? 0) + value);
    const label = /model_name="([^"]*)"/.exec(match[3] ?? '');
    if (label?.[1]) model = label[1];
  }
  const get = (name: string) => sums.get(name) ?? 0;
  return {
    atMs,
    running: get('vllm:num_requests_running'),
    waiting: get('vllm:num_requests_waiting'),
    // vLLM 0.10+ names it kv_cache_usage_perc; older engines gpu_cache_usage_perc.
    kvCacheUsage: sums.get('vllm:kv_cache_usage_perc') ?? get('vllm:gpu_cache_usage_perc'),
    promptTotal: get('vllm:prompt_tokens_total'),
    generationTotal: get('vllm:generation_tokens_total'),
    model,
  };
}

const WINDOW_MS = 60_000;

/** Keeps a minute of scrapes so token throughput is a rate over the last minute, not since start. */
export class VllmThroughput {
  private scrapes: Scrape[] = [];

  add(scrape: Scrape): void {
    const last = this.scrapes.at(-1);
    // Counters that went backwards mean a new vLLM process: the old samples say nothing about it.
    if (last && (scrape.promptTotal < last.promptTotal || scrape.generationTotal < last.generationTotal)) {
      this.scrapes = [];
    }
    this.scrapes.push(scrape);
    while (this.scrapes.length > 2 && this.scrapes[0]!.atMs < scrape.atMs - WINDOW_MS) this.scrapes.shift();
  }

  clear(): void {
    this.scrapes = [];
  }

  figures(model: string): VllmFigures | null {
    const latest = this.scrapes.at(-1);
    if (!latest) return null;
    const oldest = this.scrapes[0]!;
    const seconds = (latest.atMs - oldest.atMs) / 1000;
    const rate = (from: number, to: number) =>
      seconds > 0 ? Math.max(0, Math.round(((to - from) / seconds) * 10) / 10) : 0;
    return {
      model: latest.model || model,
      num_requests_running: Math.max(0, Math.round(latest.running)),
      num_requests_waiting: Math.max(0, Math.round(latest.waiting)),
      kv_cache_usage: Math.min(1, Math.max(0, latest.kvCacheUsage)),
      prompt_tokens_per_s: rate(oldest.promptTotal, latest.promptTotal),
      generation_tokens_per_s: rate(oldest.generationTotal, latest.generationTotal),
      prompt_tokens_total: Math.max(0, Math.round(latest.promptTotal)),
      generation_tokens_total: Math.max(0, Math.round(latest.generationTotal)),
      scraped_at: new Date(latest.atMs).toISOString(),
    };
  }
}
