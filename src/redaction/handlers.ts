import type { InProcessHandler } from '../contract/handler';
import { notBuilt } from '../contract/handler';

const REDACTION = 'the redaction engine';

export const redactionHandlers: Record<string, InProcessHandler> = {
  scrubText: notBuilt(REDACTION),
  rehydrateText: notBuilt(REDACTION),
  rehydrateStream: notBuilt(REDACTION),
};
