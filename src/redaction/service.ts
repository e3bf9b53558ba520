import type { AppContext } from '../app-context';
import { loadOrCreateMasterKey } from './map-keys';
import { MapStore } from './map-store';

/** The redaction routes' state for one gateway: the map store and its sweeper. */
export interface Redaction {
  store: MapStore;
  stop(): void;
}

const running = new WeakMap<AppContext, Redaction>();

/**
 * Opens the map store (creating its key and tables on first use), sweeps expired maps now and
 * then every `sweepIntervalMs`. The timer never keeps the process alive.
 */
export function startRedaction(app: AppContext): Redaction {
  const existing = running.get(app);
  if (existing) return existing;
  const { mapTtlMs, sweepIntervalMs } = app.config.redaction;
  const store = new MapStore(app.db, loadOrCreateMasterKey(app.config.dataDir), { ttlMs: mapTtlMs });
  const sweep = () => {
    try {
      const swept = store.sweep();
      if (swept > 0) app.logger.info({ swept }, 'expired redaction maps swept');
    } catch (error) {
      app.logger.error({ err: error }, 'sweeping expired redaction maps failed');
    }
  };
  sweep();
  const timer = setInterval(sweep, sweepIntervalMs);
  timer.unref();
  const redaction: Redaction = {
    store,
    stop: () => {
      clearInterval(timer);
      running.delete(app);
    },
  };
  running.set(app, redaction);
  return redaction;
}

/** The running redaction state of a gateway (started on first use when `createApp` did not). */
export function redactionOf(app: AppContext): Redaction {
  return running.get(app) ?? startRedaction(app);
}

export function stopRedaction(app: AppContext): void {
  running.get(app)?.stop();
}
