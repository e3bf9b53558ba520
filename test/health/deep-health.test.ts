import { call } from '../helpers/http';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { eventually } from './eventually';
import type { components } from '../../generated/control';

type DeepHealth = components['schemas']['DeepHealth'];

async function deepHealth(gateway: TestGateway, refresh = false): Promise<DeepHealth> {
  const response = await call(gateway.baseUrl, `/api/deep-health${refresh ? '?refresh=true' : ''}`);
  expect(response.status).toBe(200);
  return response.json as DeepHealth;
}

const byService = (health: DeepHealth, name: string) => health.services.find((s) => s.service === name)!;

describe('deep health with a model loaded', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  it('runs a real inference probe per service on demand', async () => {
    const before = await deepHealth(gateway);
    expect(before.enabled).toBe(true);
    expect(before.interval_s).toBe(60);
    expect(before.restart_policy).toEqual({
      max_restarts: 3,
      window_s: 1800,
      cooldown_s: 120,
      startup_grace_s: 60,
    });

    const completedBefore = gateway.cluster.parakeet.completedRequests;
    const health = await deepHealth(gateway, true);
    expect(health.last_run_at).not.toBeNull();
    expect(health.services.map((s) => [s.service, s.probe, s.ok, s.idle])).toEqual([
      ['vllm', 'chat', true, false],
      ['parakeet', 'transcription', true, false],
      ['kokoro', 'speech', true, false],
      ['embed', 'embedding', true, false],
      ['qdrant', 'collections', true, false],
    ]);
    // The transcription really reached the speech process.
    expect(gateway.cluster.parakeet.completedRequests).toBeGreaterThan(completedBefore);
    for (const service of health.services) {
      expect(service.checked_at).not.toBeNull();
      expect(service.restarts.count_in_window).toBe(0);
    }
  });

  it('reports a service that does not serve as failed, without restarting it', async () => {
    await gateway.cluster.kokoro.down();
    try {
      const kokoro = byService(await deepHealth(gateway, true), 'kokoro');
      expect(kokoro.ok).toBe(false);
      expect(kokoro.detail).toMatch(/Not serving: connection refused/);
      expect(kokoro.restarts.count_in_window).toBe(0);
    } finally {
      await gateway.cluster.kokoro.up();
    }
  });

  it('a wedged parakeet inside the start-up grace is reported, not restarted', async () => {
    gateway.cluster.parakeet.wedge();
    const parakeet = byService(await deepHealth(gateway, true), 'parakeet');
    expect(parakeet.ok).toBe(false);
    expect(parakeet.detail).toMatch(
      /Wedged .*cudaErrorUnknown.*Not restarted: the gateway started less than a minute ago/,
    );
    expect(parakeet.restarts.next_allowed_at).not.toBeNull();
    expect(gateway.cluster.parakeet.isWedged).toBe(true);
    // Wedged counts as down in the connectivity history, though /health still answers.
    const history = (await call(gateway.baseUrl, '/api/connectivity?subject=parakeet')).json as {
      current: Record<string, string>;
      events: { source?: string; detail?: string }[];
    };
    expect(history.current.parakeet).toBe('down');
    expect(history.events.at(-1)).toMatchObject({ source: 'deep-health' });
    expect(history.events.at(-1)!.detail).toMatch(/^wedged: /);
  });
});

describe('deep health of an idle cluster', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ cluster: { initialModel: null } });
  });
  afterAll(() => gateway.close());

  it('treats vLLM with no model loaded as healthy and idle', async () => {
    // The first SSH answers may predate the emulated node trusting the controller's key.
    const vllm = await eventually(async () => {
      const result = byService(await deepHealth(gateway, true), 'vllm');
      return result.ok ? result : undefined;
    }, 'an idle vLLM probed as healthy');
    expect(vllm).toMatchObject({ ok: true, idle: true, probe: 'chat' });
    expect(vllm.detail).toMatch(/no model is loaded/i);
    const history = await eventually(async () => {
      const body = (await call(gateway.baseUrl, '/api/connectivity?subject=vllm')).json as {
        current: Record<string, string>;
      };
      return body.current.vllm === 'up' ? body : undefined;
    }, 'vLLM idle counted as up');
    expect(history.current.vllm).toBe('up');
  });
});
