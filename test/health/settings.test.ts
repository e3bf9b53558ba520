import { loadConfig } from '../../src/config/load-config';

describe('health settings from the environment', () => {
  it('polls every second and probes deeply every minute by default', () => {
    const { health } = loadConfig({});
    expect(health).toMatchObject({ pollIntervalMs: 1_000, deepEnabled: true, deepIntervalS: 60 });
    expect(health.restartLimits).toEqual({
      maxRestarts: 3,
      windowMs: 30 * 60_000,
      cooldownMs: 120_000,
      startupGraceMs: 60_000,
    });
  });

  it('reads HEALTH_POLL_MS, DEEP_HEALTH and DEEP_HEALTH_INTERVAL_S', () => {
    const { health } = loadConfig({
      HEALTH_POLL_MS: '2000',
      DEEP_HEALTH: '0',
      DEEP_HEALTH_INTERVAL_S: '300',
    });
    expect(health).toMatchObject({ pollIntervalMs: 2_000, deepEnabled: false, deepIntervalS: 300 });
  });

  it('refuses polls slower than 2 s (they would miss short outages) and deep rounds under 30 s', () => {
    expect(() => loadConfig({ HEALTH_POLL_MS: '5000' })).toThrow(
      /HEALTH_POLL_MS must be a whole number between 250 and 2000/,
    );
    expect(() => loadConfig({ DEEP_HEALTH_INTERVAL_S: '10' })).toThrow(/DEEP_HEALTH_INTERVAL_S/);
  });
});
