import type { AppContext } from '../app-context';
import type { ServiceConfig } from '../config/config';
import type { NodeShell } from '../ssh/node-shell';

/** The always-on services of the speech node; vLLM is changed by swaps, not here. */
export const SUPPORT_SERVICES = ['parakeet', 'kokoro', 'embed', 'qdrant'] as const;
export type SupportServiceName = (typeof SUPPORT_SERVICES)[number];

/** Services that list what they serve on `/v1/models` (qdrant serves no model). */
export const MODEL_LISTING: Record<SupportServiceName, boolean> = {
  parakeet: true,
  kokoro: true,
  embed: true,
  qdrant: false,
};

export interface ServiceTarget {
  name: SupportServiceName;
  config: ServiceConfig;
  /** The shell on the service's node, or null when that node is not in the inventory. */
  shell: NodeShell | null;
}

export function serviceTarget(app: AppContext, name: SupportServiceName): ServiceTarget {
  const config = app.config.services[name];
  return { name, config, shell: app.shells.get(config.node) ?? null };
}
