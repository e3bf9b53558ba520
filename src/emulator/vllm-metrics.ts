/** vLLM's Prometheus metrics (v1 engine names), kept from the traffic the emulator really served. */

// Bucket bounds as vLLM declares them (vllm/v1/metrics/loggers.py).
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0,
  80.0, 160.0, 640.0, 2560.0,
];
const ITL_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0,
];
const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0,
  960.0, 1920.0, 7680.0,
];

export type FinishedReason = 'stop' | 'length' | 'abort';

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    this.bounds.forEach((bound, i) => {
      if (value <= bound) this.counts[i] = (this.counts[i] ?? 0) + 1;
    });
  }
}

export class VllmMetrics {
  running = 0;
  waiting = 0;
  /** Tokens held in the KV cache by running requests. */
  kvTokens = 0;
  promptTokens = 0;
  generationTokens = 0;
  preemptions = 0;
  readonly finished: Record<FinishedReason, number> = { stop: 0, length: 0, abort: 0 };
  readonly timeToFirstToken = new Histogram(TTFT_BUCKETS);
  readonly interTokenLatency = new Histogram(ITL_BUCKETS);
  readonly e2eLatency = new Histogram(E2E_BUCKETS);

  constructor(private readonly kvCapacityTokens: number) {}

  get kvCacheUsage(): number {
    return Math.min(1, this.kvTokens / this.kvCapacityTokens);
  }

  render(modelName: string): string {
    const labels = `engine="0",model_name="${modelName}"`;
    const out: string[] = [];
    const single = (name: string, type: string, help: string, value: number) => {
      out.push(
        `# HELP ${name} ${help}`,
        `# TYPE ${name} ${type}`,
        `${name}{${labels}} ${formatValue(value)}`,
      );
    };
    single(
      'vllm:num_requests_running',
      'gauge',
      'Number of requests in model execution batches.',
      this.running,
    );
    single('vllm:num_requests_waiting', 'gauge', 'Number of requests waiting to be processed.', this.waiting);
    single(
      'vllm:kv_cache_usage_perc',
      'gauge',
      'KV-cache usage. 1 means 100 percent usage.',
      this.kvCacheUsage,
    );
    single(
      'vllm:num_preemptions_total',
      'counter',
      'Cumulative number of preemption from the engine.',
      this.preemptions,
    );
    single('vllm:prompt_tokens_total', 'counter', 'Number of prefill tokens processed.', this.promptTokens);
    single(
      'vllm:generation_tokens_total',
      'counter',
      'Number of generation tokens processed.',
      this.generationTokens,
    );
    out.push(
      '# HELP vllm:request_success_total Count of successfully processed requests.',
      '# TYPE vllm:request_success_total counter',
    );
    for (const [reason, value] of Object.entries(this.finished)) {
      out.push(`vllm:request_success_total{${labels},finished_reason="${reason}"} ${formatValue(value)}`);
    }
    renderHistogram(
      out,
      'vllm:time_to_first_token_seconds',
      'Histogram of time to first token in seconds.',
      labels,
      this.timeToFirstToken,
    );
    renderHistogram(
      out,
      'vllm:inter_token_latency_seconds',
      'Histogram of inter-token latency in seconds.',
      labels,
      this.interTokenLatency,
    );
    renderHistogram(
      out,
      'vllm:e2e_request_latency_seconds',
      'Histogram of e2e request latency in seconds.',
      labels,
      this.e2eLatency,
    );
    return out.join('\n') + '\n';
  }
}

function renderHistogram(
  out: string[],
  name: string,
  help: string,
  labels: string,
  histogram: Histogram,
): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  histogram.bounds.forEach((bound, i) => {
    out.push(`${name}_bucket{${labels},le="${formatValue(bound)}"} ${formatValue(histogram.counts[i] ?? 0)}`);
  });
  out.push(`${name}_bucket{${labels},le="+Inf"} ${formatValue(histogram.count)}`);
  out.push(`${name}_count{${labels}} ${formatValue(histogram.count)}`);
  out.push(`${name}_sum{${labels}} ${formatValue(histogram.sum)}`);
}

/** Python's prometheus_client prints floats: `3.0`, not `3`. */
function formatValue(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}
