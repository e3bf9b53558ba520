import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call, postJson } from '../helpers/http';
import { finished, getJob, readEvents, startSwap, waitForJob, MODELS_ON_DISK } from './swap-client';

// Swaps run real SSH sessions against the emulated cluster; a loaded CI machine needs slack.
jest.setTimeout(60_000);

describe('model swap over HTTP against the emulated cluster', () => {
  let gw: TestGateway;

  beforeEach(async () => {
    gw = await startTestGateway({ cluster: { loadDelayMs: 300, modelsOnDisk: MODELS_ON_DISK } });
  });

  afterEach(async () => {
    await gw.close();
  });

  it('swaps to another catalog model through every phase, with load progress and events', async () => {
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    expect(accepted).toMatchObject({
      kind: 'swap',
      model: 'other-model',
      from_model: 'test-model',
      state: 'running',
      status_url: `/api/swap/${accepted.job_id}`,
      events_url: `/api/swap/${accepted.job_id}/events`,
    });

    const { events } = await readEvents(gw.baseUrl, accepted.job_id);
    const job = await getJob(gw.baseUrl, accepted.job_id);
    expect(job.state).toBe('succeeded');
    expect(job.phases.map((p) => [p.name, p.state])).toEqual([
      ['preflight', 'done'],
      ['drain', 'done'],
      ['stop', 'done'],
      ['verify_stopped', 'done'],
      ['launch', 'done'],
      ['follow_logs', 'done'],
      ['wait_health', 'done'],
      ['confirm_model', 'done'],
      ['probe', 'done'],
      ['done', 'done'],
    ]);
    for (const phase of job.phases) {
      expect(Date.parse(phase.finished_at!)).toBeGreaterThanOrEqual(Date.parse(phase.started_at!));
    }
    expect(job.result).toMatchObject({ served_model_name: 'other-model' });
    expect(job.result!.load_s).toBeGreaterThanOrEqual(0.3);
    expect(job.log_tail.some((line) => line.includes('Application startup complete.'))).toBe(true);
    expect(job.progress.shards_total).toBeGreaterThan(0);

    // The emulated launcher was called detached, on the head node, with the catalog's served name.
    expect(gw.cluster.launcher.launches).toHaveLength(1);
    expect(gw.cluster.launcher.launches[0]!.argv).toEqual(expect.arrayContaining(['-d', '--solo', 'exec']));
    expect(gw.cluster.vllm.servedNames()).toContain('other-model');

    // The event stream tells the same story: phases in order, log lines, progress, then done.
    const types = new Set(events.map((e) => e.type));
    expect([...types]).toEqual(expect.arrayContaining(['phase', 'log', 'progress', 'done']));
    expect(events.at(-1)!.type).toBe('done');
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const started = events
      .filter((e) => e.type === 'phase' && e.state === 'running')
      .map((e) => (e as { phase: string }).phase);
    expect(started).toEqual([
      'preflight',
      'drain',
      'stop',
      'verify_stopped',
      'launch',
      'follow_logs',
      'wait_health',
      'confirm_model',
      'probe',
      'done',
    ]);
    expect(events.some((e) => e.type === 'progress' && /shard \d+ of \d+/.test(e.label))).toBe(true);

    // Replay after a Last-Event-ID resumes after it.
    const resumed = await readEvents(gw.baseUrl, accepted.job_id, seqs[4]!);
    expect(resumed.events[0]!.seq).toBe(seqs[5]);

    const history = await call(gw.baseUrl, '/api/swap');
    expect(history.status).toBe(200);
    expect(history.json).toMatchObject({
      running: null,
      swaps: [{ job_id: accepted.job_id, state: 'succeeded' }],
    });

    // An alias of the new model is rewritten to its served name.
    const chat = await postJson(gw.baseUrl, '/v1/chat/completions', {
      model: 'other',
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 2,
    });
    expect(chat.status).toBe(200);
    expect((chat.json as { model: string }).model).toBe('other-model');
  });

  it('measures the load and uses it as the next expected load time', async () => {
    const first = await startSwap(gw.baseUrl, { model: 'other-model' });
    await waitForJob(gw.baseUrl, first.job_id, finished, 'first swap');
    const back = await startSwap(gw.baseUrl, { model: 'test-model' });
    await waitForJob(gw.baseUrl, back.job_id, finished, 'swap back');
    const again = await startSwap(gw.baseUrl, { model: 'other-model' });
    expect(again.expected_load_s).not.toBeNull();
    expect(again.expected_load_s).toBeLessThanOrEqual(2);
    const job = await waitForJob(gw.baseUrl, again.job_id, finished, 'third swap');
    expect(job.state).toBe('succeeded');
  });

  it('refuses a second swap while one runs, and an unknown model', async () => {
    gw.cluster.launcher.loadDelayMs = 1_500;
    const first = await startSwap(gw.baseUrl, { model: 'other-model' });
    const second = await postJson(gw.baseUrl, '/api/swap', { model: 'test-model' });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ code: 'swap_in_progress' });
    const unknown = await postJson(gw.baseUrl, '/api/swap', { model: 'no-such-model' });
    expect([404, 409]).toContain(unknown.status);
    await waitForJob(gw.baseUrl, first.job_id, finished, 'first swap');
    const missing = await postJson(gw.baseUrl, '/api/swap', { model: 'no-such-model' });
    expect(missing.status).toBe(404);
  });

  it('fails in preflight when the weights are missing, leaving the running model alone', async () => {
    gw.cluster.modelStore.remove('spark1', 'org/other-model');
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    const job = await waitForJob(gw.baseUrl, accepted.job_id, finished, 'preflight failure');
    expect(job.state).toBe('failed');
    expect(job.failure).toMatchObject({
      phase: 'preflight',
      code: 'weights_missing',
      cluster_state: 'previous_model_running',
    });
    expect(job.failure!.message).toMatch(/weights of other-model are missing on spark1/);
    expect(job.rollback).toMatchObject({ available: false });
    expect(gw.cluster.vllm.servedNames()).toContain('test-model');
    expect(gw.cluster.launcher.launches).toHaveLength(0);
  });

  it('fails in preflight when the image is missing on a node', async () => {
    gw.cluster.launcher.images.spark1!.delete('vllm-node');
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    const job = await waitForJob(gw.baseUrl, accepted.job_id, finished, 'preflight failure');
    expect(job.failure).toMatchObject({ phase: 'preflight', code: 'image_missing' });
  });
});
