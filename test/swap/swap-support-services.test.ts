import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { postJson } from '../helpers/http';
import { finished, MODELS_ON_DISK, startSwap, waitForJob } from './swap-client';

jest.setTimeout(60_000);

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

describe('a model that needs support services off', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      cluster: { loadDelayMs: 200, modelsOnDisk: MODELS_ON_DISK },
      env: { DEEP_HEALTH: '0' },
    });
  });
  afterAll(() => gw.close());

  it('stops them during its swap and starts them again when the next model does not need that', async () => {
    const kokoroHealth = `${gw.cluster.services.kokoro.baseUrl}/health`;
    const saved = await postJson(gw.baseUrl, '/api/models', {
      id: 'other-model',
      display_name: 'Another model, needing the TTS memory',
      hf_repo: 'org/other-model',
      served_model_name: 'other-model',
      placement: { nodes: 1 },
      requires_services_off: ['kokoro'],
    });
    expect(saved.status).toBe(200);
    expect(await answers(kokoroHealth)).toBe(true);

    const there = await startSwap(gw.baseUrl, { model: 'other-model' });
    const done = await waitForJob(gw.baseUrl, there.job_id, finished, 'the swap to end');
    expect(done.state).toBe('succeeded');
    expect(done.phases.find((phase) => phase.name === 'stop')?.detail).toContain(
      'Stopped kokoro to free memory for other-model.',
    );
    expect(await answers(kokoroHealth)).toBe(false);

    const back = await startSwap(gw.baseUrl, { model: 'test-model' });
    const returned = await waitForJob(gw.baseUrl, back.job_id, finished, 'the swap back to end');
    expect(returned.state).toBe('succeeded');
    expect(returned.phases.find((phase) => phase.name === 'stop')?.detail).toContain('Started kokoro again.');
    const deadline = Date.now() + 15_000;
    while (!(await answers(kokoroHealth))) {
      if (Date.now() > deadline) throw new Error('kokoro did not answer again');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});
