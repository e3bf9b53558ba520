import type { operations } from '../../generated/control';
import { notBuilt, type DomainHandlers } from '../contract/handler';

/** Control-plane handlers for health monitoring. */
export const healthHandlers: DomainHandlers<operations> = {
  reportHealthEvent: notBuilt('health monitoring'),
  getDeepHealth: notBuilt('health monitoring'),
  getConnectivityHistory: notBuilt('health monitoring'),
  listNodes: notBuilt('health monitoring'),
};
