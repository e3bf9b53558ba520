import type { operations } from '../../generated/control';
import { notBuilt, type DomainHandlers } from '../contract/handler';

/** Control-plane handlers for the model catalog. */
export const catalogHandlers: DomainHandlers<operations> = {
  listCatalogModels: notBuilt('the model catalog'),
  addCatalogModel: notBuilt('the model catalog'),
  suggestCatalogModels: notBuilt('the model catalog'),
  deleteCatalogModel: notBuilt('the model catalog'),
  startModelDownload: notBuilt('the model catalog'),
  getDownloadJob: notBuilt('the model catalog'),
};
