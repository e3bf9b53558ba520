import type { operations } from '../../generated/control';
import type { DomainHandlers } from '../contract/handler';
import { controlService } from './service-control';
import { listSupportServices } from './service-list';
import { reapplySpeechPatches } from './speech-patches';

/** Control-plane handlers for service control. */
export const servicesHandlers: DomainHandlers<operations> = {
  listServices: async ({ app, query }) => ({
    status: 200,
    body: await listSupportServices(app, query.include_disabled === true),
  }),
  controlService: async ({ app, params }) => ({
    status: 200,
    body: await controlService(app, params.name, params.action),
  }),
  reapplySpeechPatches: async ({ app }) => ({ status: 200, body: await reapplySpeechPatches(app) }),
};
