/** A task run again and again, `intervalMs` from start to start, never two runs at once. */
export interface Repeater {
  stop(): void;
}

/**
 * Runs `task` after `firstDelayMs`, then every `intervalMs` (a slow run delays the next one instead
 * of overlapping it). Timers are unref'd: a running monitor never keeps the process alive.
 */
export function repeat(intervalMs: number, firstDelayMs: number, task: () => Promise<void>): Repeater {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(run, Math.max(0, delayMs));
    timer.unref();
  };
  const run = async () => {
    const started = performance.now();
    try {
      await task();
    } catch {
      // Tasks report their own failures; the schedule must survive them.
    }
    schedule(intervalMs - (performance.now() - started));
  };
  schedule(firstDelayMs);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
