import type { operations } from '../../generated/embeddings';
import { notBuilt, type DomainHandlers } from '../contract/handler';

const SEARCH = 'hybrid search over Qdrant';

/** Embeddings-domain handlers; embeddings and rerank are proxied (x-upstream in embeddings.yaml). */
export const embeddingsHandlers: DomainHandlers<operations> = {
  searchHybrid: notBuilt(SEARCH),
  listCollections: notBuilt(SEARCH),
  createCollection: notBuilt(SEARCH),
  getCollection: notBuilt(SEARCH),
  deleteCollection: notBuilt(SEARCH),
  ingestDocuments: notBuilt(SEARCH),
  deleteDocument: notBuilt(SEARCH),
};
