import type { HealthConfig } from '../config/config';

/** Limits on automatic restarts of a wedged service (no restart within `startupGraceMs` of boot). */
export type RestartLimits = HealthConfig['restartLimits'];

export type RestartDecision =
  { allowed: true } | { allowed: false; reason: string; nextAllowedAtMs: number | null };

/**
 * Whether a wedged service may be restarted now, given the times of its earlier automatic restarts
 * (oldest first). A restart loop is what the limits exist to prevent: a service that keeps wedging
 * needs a person, not a fourth restart.
 */
export function decideRestart(
  limits: RestartLimits,
  bootMs: number,
  nowMs: number,
  earlierRestartsMs: readonly number[],
): RestartDecision {
  const graceEnds = bootMs + limits.startupGraceMs;
  if (nowMs < graceEnds) {
    return {
      allowed: false,
      reason: 'the gateway started less than a minute ago',
      nextAllowedAtMs: graceEnds,
    };
  }
  const inWindow = earlierRestartsMs.filter((at) => at > nowMs - limits.windowMs);
  const last = inWindow.at(-1);
  if (inWindow.length >= limits.maxRestarts) {
    const oldest = inWindow[inWindow.length - limits.maxRestarts]!;
    return {
      allowed: false,
      reason: `already restarted ${inWindow.length} times in ${Math.round(limits.windowMs / 60_000)} minutes`,
      nextAllowedAtMs: Math.max(oldest + limits.windowMs, last! + limits.cooldownMs),
    };
  }
  if (last !== undefined && nowMs < last + limits.cooldownMs) {
    return {
      allowed: false,
      reason: `restarted less than ${Math.round(limits.cooldownMs / 1000)} s ago`,
      nextAllowedAtMs: last + limits.cooldownMs,
    };
  }
  return { allowed: true };
}

/** How many restarts fall in the window ending now, and when the next one may happen (null when now). */
export function restartWindow(
  limits: RestartLimits,
  bootMs: number,
  nowMs: number,
  earlierRestartsMs: readonly number[],
): { countInWindow: number; nextAllowedAtMs: number | null } {
  const decision = decideRestart(limits, bootMs, nowMs, earlierRestartsMs);
  return {
    countInWindow: earlierRestartsMs.filter((at) => at > nowMs - limits.windowMs).length,
    nextAllowedAtMs: decision.allowed ? null : decision.nextAllowedAtMs,
  };
}
