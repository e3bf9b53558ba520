import {
  advance,
  etaSeconds,
  initialProgress,
  loadFraction,
  loadLabel,
  type LoadProgress,
} from './load-progress';

const feed = (lines: string[]): LoadProgress => lines.reduce(advance, initialProgress());

describe('vLLM load progress from the log', () => {
  it('counts safetensors shards and labels them', () => {
    const progress = feed([
      '(APIServer pid=1) INFO 07-14 10:00:01 [api_server.py:1896] vLLM API server version 0.11.0',
      'Loading safetensors checkpoint shards:  47% Completed | 7/15 [00:31<00:35,  4.41s/it]',
    ]);
    expect(progress).toMatchObject({ stage: 'weights', shardsLoaded: 7, shardsTotal: 15, fatal: null });
    expect(loadLabel(progress)).toBe('Loading weights (shard 7 of 15)');
    expect(loadFraction(progress)).toBeCloseTo(0.1 + (0.5 * 7) / 15);
  });

  it('moves through KV cache, graph capture, API server and ready, never backwards', () => {
    const progress = feed([
      'Loading safetensors checkpoint shards: 100% Completed | 15/15 [01:02<00:00,  4.13s/it]',
      '(EngineCore_DP0 pid=287) INFO [gpu_worker.py:298] Available KV cache memory: 16.00 GiB',
      '(EngineCore_DP0 pid=287) INFO [gpu_model_runner.py:3480] Graph capturing finished in 12 secs',
      'Loading safetensors checkpoint shards:  50% Completed | 1/2',
    ]);
    expect(progress.stage).toBe('graphs');
    expect(loadLabel(progress)).toBe('Capturing CUDA graphs');
    const ready = advance(
      advance(progress, 'Starting vLLM API server 0 on http://0.0.0.0:8888'),
      'INFO:     Application startup complete.',
    );
    expect(ready.stage).toBe('ready');
    expect(loadFraction(ready)).toBe(1);
  });

  it('recognises the lines that mean the engine will never start', () => {
    expect(feed(['RuntimeError: Engine core initialization failed. See root cause above.']).fatal).toBe(
      'the vLLM engine failed to start',
    );
    expect(
      feed([
        'ValueError: Free memory on device (20.1/121.7 GiB) on startup is less than desired GPU memory utilization (0.9, 109.5 GiB).',
      ]).fatal,
    ).toBe('not enough free GPU memory to start');
    expect(feed(['INFO: loading']).fatal).toBeNull();
  });

  it('estimates the time left from history, else from the observed rate', () => {
    expect(etaSeconds(100, 400, 0.3)).toBe(300);
    expect(etaSeconds(500, 400, 0.5)).toBe(500);
    expect(etaSeconds(10, null, 0.05)).toBeNull();
    expect(etaSeconds(60, null, 0.6)).toBe(40);
    expect(etaSeconds(60, 30, 1)).toBe(0);
  });
});
