import type { operations } from '../../generated/control';
import { notBuilt, type DomainHandlers } from '../contract/handler';

/** Control-plane handlers for model swaps. */
export const swapHandlers: DomainHandlers<operations> = {
  startSwap: notBuilt('model swaps'),
  listSwaps: notBuilt('model swaps'),
  getSwapJob: notBuilt('model swaps'),
  streamSwapEvents: notBuilt('model swaps'),
  rollbackSwap: notBuilt('model swaps'),
  getSwapLock: notBuilt('model swaps'),
  acquireSwapLock: notBuilt('model swaps'),
  releaseSwapLock: notBuilt('model swaps'),
  getSettings: notBuilt('model swaps'),
  updateSettings: notBuilt('model swaps'),
};
