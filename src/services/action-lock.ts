import type { AppContext } from '../app-context';
import { GatewayError } from '../errors/catalogue';

const busy = new WeakMap<AppContext, Map<string, string>>();

/**
 * Runs `work` as the only action on `service` (start/stop/restart and patch reapplies exclude each
 * other); a second one meanwhile is refused with 409 naming what runs.
 */
export async function exclusively<T>(
  app: AppContext,
  service: string,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  const running = busy.get(app) ?? new Map<string, string>();
  busy.set(app, running);
  const current = running.get(service);
  if (current) {
    throw new GatewayError('service_action_in_progress', {
      detail: `${service} is busy (${current}); try again when it is done`,
    });
  }
  running.set(service, what);
  try {
    return await work();
  } finally {
    running.delete(service);
  }
}
