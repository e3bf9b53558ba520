import { VllmMetrics } from '../emulator/vllm-metrics';
import { parseVllmMetrics, VllmThroughput } from './vllm-metrics';

function exposition(prompt: number, generated: number, running = 2, waiting = 1): string {
  const metrics = new VllmMetrics(1000);
  metrics.promptTokens = prompt;
  metrics.generationTokens = generated;
  metrics.running = running;
  metrics.waiting = waiting;
  metrics.kvTokens = 250;
  return metrics.render('qwen3-4b');
}

describe('parseVllmMetrics', () => {
  it('reads the gauges and counters vLLM exports', () => {
    const scrape = parseVllmMetrics(exposition(1200, 300), 0);
    expect(scrape).toEqual({
      atMs: 0,
      running: 2,
      waiting: 1,
      kvCacheUsage: 0.25,
      promptTotal: 1200,
      generationTotal: 300,
      model: 'qwen3-4b',
    });
  });
});

describe('VllmThroughput', () => {
  it('reports tokens per second over the last minute', () => {
    const throughput = new VllmThroughput();
    throughput.add(parseVllmMetrics(exposition(0, 0), 0));
    throughput.add(parseVllmMetrics(exposition(500, 100), 5_000));
    throughput.add(parseVllmMetrics(exposition(1000, 200), 10_000));
    expect(throughput.figures('fallback')).toMatchObject({
      model: 'qwen3-4b',
      prompt_tokens_per_s: 100,
      generation_tokens_per_s: 20,
      prompt_tokens_total: 1000,
      generation_tokens_total: 200,
      num_requests_running: 2,
      num_requests_waiting: 1,
      kv_cache_usage: 0.25,
      scraped_at: new Date(10_000).toISOString(),
    });
  });

  it('forgets samples older than a minute and starts over when counters reset', () => {
    const throughput = new VllmThroughput();
    throughput.add(parseVllmMetrics(exposition(0, 0), 0));
    throughput.add(parseVllmMetrics(exposition(6000, 0), 60_000));
    throughput.add(parseVllmMetrics(exposition(6600, 0), 120_000));
    expect(throughput.figures('')!.prompt_tokens_per_s).toBe(10);
    throughput.add(parseVllmMetrics(exposition(10, 0), 125_000));
    expect(throughput.figures('')!.prompt_tokens_per_s).toBe(0);
    expect(throughput.figures('')!.prompt_tokens_total).toBe(10);
  });

  it('has no figures before the first scrape', () => {
    expect(new VllmThroughput().figures('x')).toBeNull();
  });
});
