import type { ServiceName } from '../../src/config/config';
import { DeepHealth } from '../../src/health/deep-health';
import { HealthStore } from '../../src/health/store';
import { call } from '../helpers/http';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { eventually } from './eventually';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

describe('wedge restarts with an injected clock', () => {
  let gateway: TestGateway;
  let now: number;
  let deep: DeepHealth;
  const wedgedMarks: ServiceName[] = [];

  beforeAll(async () => {
    gateway = await startTestGateway({
      env: { DEEP_HEALTH: '0' },
      // Nothing else talks to the speech node over SSH while the policy is exercised.
      configure: (config) => ({ ...config, health: { ...config.health, resourcesIntervalMs: 10 * MINUTE } }),
    });
    const app = gateway.gateway.context;
    now = Date.parse('2026-07-14T09:00:00.000Z');
    deep = new DeepHealth(
      new HealthStore(app.db),
      { now: () => now },
      { ...app.config.health, deepEnabled: false },
      {
        markWedged: (service) => wedgedMarks.push(service),
        clearWedged: () => undefined,
        vllmActivity: async () => 'unknown',
      },
    );
    deep.start(app);
  });
  afterAll(async () => {
    deep.stop();
    await gateway.close();
  });

  const parakeet = () =>
    deep.snapshot(gateway.gateway.context).services.find((s) => s.service === 'parakeet')!;
  const at = (offsetMs: number) => {
    now = Date.parse('2026-07-14T09:00:00.000Z') + offsetMs;
  };

  it('waits out the first minute after boot', async () => {
    gateway.cluster.parakeet.wedge();
    at(30 * SECOND);
    await deep.runAll();
    expect(parakeet().ok).toBe(false);
    expect(parakeet().detail).toMatch(/Not restarted: the gateway started less than a minute ago/);
    expect(parakeet().restarts.next_allowed_at).toBe('2026-07-14T09:01:00.000Z');
    expect(gateway.cluster.parakeet.isWedged).toBe(true);
    expect(wedgedMarks).toEqual(['parakeet']);
  });

  it('restarts the container over SSH once the grace is over, and sees it recover', async () => {
    at(61 * SECOND);
    await deep.runAll();
    expect(parakeet().detail).toMatch(/Container parakeet-asr was restarted automatically/);
    expect(parakeet().restarts).toEqual({
      count_in_window: 1,
      last_restart_at: '2026-07-14T09:01:01.000Z',
      next_allowed_at: '2026-07-14T09:03:01.000Z',
      last_reason: expect.stringContaining('cudaErrorUnknown'),
    });
    expect(gateway.cluster.parakeet.isWedged).toBe(false);
    await eventually(async () => (gateway.cluster.parakeet.isUp ? true : undefined), 'parakeet back up');
    at(70 * SECOND);
    await deep.runAll();
    expect(parakeet()).toMatchObject({ ok: true, detail: 'Recovered after an automatic restart.' });
  });

  it('keeps 120 s between restarts', async () => {
    gateway.cluster.parakeet.wedge();
    at(100 * SECOND);
    await deep.runAll();
    expect(parakeet().detail).toMatch(/Not restarted: restarted less than 120 s ago/);
    expect(gateway.cluster.parakeet.isWedged).toBe(true);
    at(181 * SECOND);
    await deep.runAll();
    expect(parakeet().restarts.count_in_window).toBe(2);
    expect(gateway.cluster.parakeet.isWedged).toBe(false);
  });

  it('stops after 3 restarts in 30 minutes, until the oldest leaves the window', async () => {
    await eventually(async () => (gateway.cluster.parakeet.isUp ? true : undefined), 'parakeet back up');
    gateway.cluster.parakeet.wedge();
    at(301 * SECOND);
    await deep.runAll();
    expect(parakeet().restarts.count_in_window).toBe(3);

    await eventually(async () => (gateway.cluster.parakeet.isUp ? true : undefined), 'parakeet back up');
    gateway.cluster.parakeet.wedge();
    at(421 * SECOND);
    await deep.runAll();
    expect(parakeet().detail).toMatch(/Not restarted: already restarted 3 times in 30 minutes/);
    expect(parakeet().restarts.next_allowed_at).toBe('2026-07-14T09:31:01.000Z');
    expect(gateway.cluster.parakeet.isWedged).toBe(true);

    at(61 * SECOND + 30 * MINUTE + SECOND);
    await deep.runAll();
    expect(parakeet().detail).toMatch(/restarted automatically/);
    expect(parakeet().restarts.count_in_window).toBe(3);
    expect(gateway.cluster.parakeet.isWedged).toBe(false);
  });

  it('never restarts a service that is simply down', async () => {
    await eventually(async () => (gateway.cluster.kokoro.isUp ? true : undefined), 'kokoro up');
    await gateway.cluster.kokoro.down();
    at(3 * 60 * MINUTE);
    await deep.runAll();
    const kokoro = deep.snapshot(gateway.gateway.context).services.find((s) => s.service === 'kokoro')!;
    expect(kokoro.ok).toBe(false);
    expect(kokoro.restarts.count_in_window).toBe(0);
    expect(gateway.cluster.kokoro.isUp).toBe(false);
    await gateway.cluster.kokoro.up();
  });
});

describe('a wedge found by the gateway deep probe', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      configure: (config) => ({
        ...config,
        health: {
          ...config.health,
          resourcesIntervalMs: 10 * MINUTE,
          restartLimits: { ...config.health.restartLimits, startupGraceMs: 0 },
        },
      }),
    });
  });
  afterAll(() => gateway.close());

  it('restarts parakeet and records the outage in the connectivity history', async () => {
    await eventually(async () => {
      const body = (await call(gateway.baseUrl, '/api/connectivity')).json as {
        current: Record<string, string>;
      };
      return body.current.parakeet === 'up' ? true : undefined;
    }, 'parakeet up');
    gateway.cluster.parakeet.wedge();
    const response = await call(gateway.baseUrl, '/api/deep-health?refresh=true');
    const parakeet = (
      response.json as {
        services: { service: string; detail: string; restarts: { count_in_window: number } }[];
      }
    ).services.find((s) => s.service === 'parakeet')!;
    expect(parakeet.detail).toMatch(/restarted automatically/);
    expect(parakeet.restarts.count_in_window).toBe(1);
    expect(gateway.cluster.parakeet.isWedged).toBe(false);

    const recovered = await eventually(async () => {
      const body = (await call(gateway.baseUrl, '/api/connectivity?subject=parakeet')).json as {
        events: { transition: string; source?: string; detail?: string; down_seconds?: number }[];
      };
      const wedgedAt = body.events.findIndex((e) => e.source === 'deep-health' && e.transition === 'down');
      if (wedgedAt < 0) return undefined;
      return body.events.slice(wedgedAt + 1).find((e) => e.transition === 'up');
    }, 'parakeet up again after the restart');
    expect(recovered.down_seconds).toBeGreaterThanOrEqual(0);
  });

  it('probes the speech service right away when a transcription fails with a 500', async () => {
    gateway.cluster.parakeet.wedge();
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(64_044)], { type: 'audio/wav' }), 'a.wav');
    const failed = await fetch(`${gateway.baseUrl}/v1/audio/transcriptions`, { method: 'POST', body: form });
    await failed.text();
    expect(failed.status).toBeGreaterThanOrEqual(500);
    // Restarts are 120 s apart, so this wedge is found and reported but not restarted.
    await eventually(async () => {
      const body = (await call(gateway.baseUrl, '/api/deep-health')).json as {
        services: { service: string; detail: string | null }[];
      };
      const detail = body.services.find((s) => s.service === 'parakeet')!.detail ?? '';
      return /Not restarted: restarted less than 120 s ago/.test(detail) ? true : undefined;
    }, 'a triggered deep probe of parakeet');
  });
});
