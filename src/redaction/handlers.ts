import type { operations } from '../../generated/redaction';
import { notBuilt, type DomainHandlers } from '../contract/handler';

const REDACTION = 'the redaction engine';

export const redactionHandlers: DomainHandlers<operations> = {
  scrubText: notBuilt(REDACTION),
  rehydrateText: notBuilt(REDACTION),
  rehydrateStream: notBuilt(REDACTION),
};
