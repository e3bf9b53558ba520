import { call } from '../helpers/http';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { MODELS_ON_DISK, startSwap, waitForJob } from '../swap/swap-client';
import { eventually } from './eventually';

// A swap runs real SSH sessions against the emulated cluster; a loaded machine needs slack.
jest.setTimeout(60_000);

interface History {
  current: Record<string, string>;
  events: { subject: string; transition: string; kind: string }[];
}

describe('vLLM health during a model swap', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      cluster: { loadDelayMs: 2_500, modelsOnDisk: MODELS_ON_DISK },
      env: { DEEP_HEALTH: '0' },
    });
  });
  afterAll(() => gateway.close());

  it('records no outage while a swap stops the old model and loads the new one', async () => {
    const history = async () =>
      (await call(gateway.baseUrl, '/api/connectivity?subject=vllm')).json as History;
    await eventually(async () => ((await history()).current.vllm === 'up' ? true : undefined), 'vLLM up');
    const before = (await history()).events.length;

    const accepted = await startSwap(gateway.baseUrl, { model: 'other-model' });
    // The 1 s polls see the port closed for the whole load.
    await eventually(
      async () => (gateway.cluster.vllm.state === 'loading' ? true : undefined),
      'the new model loading',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await waitForJob(gateway.baseUrl, accepted.job_id, (job) => job.state === 'succeeded', 'swap done');

    const after = await history();
    expect(after.current.vllm).toBe('up');
    expect(after.events.slice(before).filter((event) => event.transition === 'down')).toEqual([]);
  });
});
