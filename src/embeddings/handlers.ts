import type { InProcessHandler } from '../contract/handler';
import { notBuilt } from '../contract/handler';

const SEARCH = 'hybrid search over Qdrant';

/** Embeddings-domain handlers; embeddings and rerank are proxied (x-upstream in embeddings.yaml). */
export const embeddingsHandlers: Record<string, InProcessHandler> = {
  searchHybrid: notBuilt(SEARCH),
  listCollections: notBuilt(SEARCH),
  createCollection: notBuilt(SEARCH),
  getCollection: notBuilt(SEARCH),
  deleteCollection: notBuilt(SEARCH),
  ingestDocuments: notBuilt(SEARCH),
  deleteDocument: notBuilt(SEARCH),
};
