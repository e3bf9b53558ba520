import type { operations } from '../../generated/control';
import { notBuilt, type DomainHandlers } from '../contract/handler';

/** Control-plane handlers for service control. */
export const servicesHandlers: DomainHandlers<operations> = {
  listServices: notBuilt('service control'),
  controlService: notBuilt('service control'),
  reapplySpeechPatches: notBuilt('service control'),
};
