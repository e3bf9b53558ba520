import { decideRestart, restartWindow, type RestartLimits } from './restart-policy';

const LIMITS: RestartLimits = {
  maxRestarts: 3,
  windowMs: 1_800_000,
  cooldownMs: 120_000,
  startupGraceMs: 60_000,
};
const BOOT = 1_000_000;

describe('decideRestart', () => {
  it('refuses during the start-up grace and names when it ends', () => {
    expect(decideRestart(LIMITS, BOOT, BOOT + 59_999, [])).toEqual({
      allowed: false,
      reason: 'the gateway started less than a minute ago',
      nextAllowedAtMs: BOOT + 60_000,
    });
    expect(decideRestart(LIMITS, BOOT, BOOT + 60_000, [])).toEqual({ allowed: true });
  });

  it('keeps restarts apart by the cooldown', () => {
    const last = BOOT + 100_000;
    expect(decideRestart(LIMITS, BOOT, last + 119_999, [last])).toMatchObject({
      allowed: false,
      nextAllowedAtMs: last + 120_000,
    });
    expect(decideRestart(LIMITS, BOOT, last + 120_000, [last])).toEqual({ allowed: true });
  });

  it('allows at most 3 in the window, until the oldest leaves it', () => {
    const restarts = [BOOT + 100_000, BOOT + 300_000, BOOT + 500_000];
    const decision = decideRestart(LIMITS, BOOT, BOOT + 700_000, restarts);
    expect(decision).toMatchObject({ allowed: false, nextAllowedAtMs: BOOT + 100_000 + 1_800_000 });
    expect(decideRestart(LIMITS, BOOT, BOOT + 100_000 + 1_800_000, restarts)).toEqual({ allowed: true });
  });

  it('counts only the restarts inside the window', () => {
    const now = BOOT + 5_000_000;
    expect(restartWindow(LIMITS, BOOT, now, [BOOT + 100_000, now - 200_000])).toEqual({
      countInWindow: 1,
      nextAllowedAtMs: null,
    });
    expect(restartWindow(LIMITS, BOOT, now, [now - 60_000])).toEqual({
      countInWindow: 1,
      nextAllowedAtMs: now + 60_000,
    });
  });

  it('never allows a restart with a limit of 0', () => {
    expect(decideRestart({ ...LIMITS, maxRestarts: 0 }, BOOT, BOOT + 10_000_000, [])).toMatchObject({
      allowed: false,
    });
  });
});
