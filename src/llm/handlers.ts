import type { operations } from '../../generated/llm';
import type { DomainHandlers } from '../contract/handler';
import { GatewayError } from '../errors/catalogue';
import { servedModels } from './served-models';

export const llmHandlers: DomainHandlers<operations> = {
  listModels: async ({ app }) => {
    const { models, missing } = await servedModels(app);
    return {
      status: 200,
      body: { object: 'list', data: models },
      ...(missing.length > 0 ? { headers: { 'X-Spark-Partial': missing.join(',') } } : {}),
    };
  },

  retrieveModel: async ({ app, params }) => {
    const { models } = await servedModels(app);
    const wanted = params.model;
    const served = app.catalog.servedNameFor(wanted);
    const model =
      models.find((entry) => entry.id === wanted) ??
      (served ? models.find((entry) => entry.id === served) : undefined);
    if (!model)
      throw new GatewayError('model_not_found', {
        detail: `the model \`${wanted}\` is not served right now`,
        param: 'model',
      });
    return { status: 200, body: model };
  },
};
