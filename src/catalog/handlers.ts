import type { operations } from '../../generated/control';
import type { DomainHandlers } from '../contract/handler';
import { GatewayError } from '../errors/catalogue';
import { asGatewayError } from '../ssh/gateway-errors';
import { catalogServices } from './catalog-services';
import { repoDir } from './hf-cache';
import { buildMenu, discoveredModels, loadedModelId } from './menu';
import { suggestModels } from './suggestions';
import { clusterNodes } from './weights-probe';

const REMOVE_TIMEOUT_MS = 120_000;

/** Control-plane handlers for the model catalog. */
export const catalogHandlers: DomainHandlers<operations> = {
  listCatalogModels: async ({ app }) => {
    return { status: 200, body: await buildMenu(app, catalogServices(app)) };
  },

  addCatalogModel: ({ app, body }) => {
    const { store } = catalogServices(app);
    const saved = store.save(body);
    app.logger.info({ model: saved.model.id, created: saved.created }, 'catalog entry saved');
    return saved.created ? { status: 201, body: saved } : { status: 200, body: saved };
  },

  suggestCatalogModels: async ({ app, query }) => {
    const text = query.q ?? '';
    const suggestions = await suggestModels(app, catalogServices(app), text, query.limit ?? 10);
    return { status: 200, body: { query: text, suggestions } };
  },

  deleteCatalogModel: async ({ app, params, query }) => {
    const services = catalogServices(app);
    const { store, weights, downloads } = services;
    const id = params.model_id;
    const scope = query.scope ?? 'all';
    const entry = store.entry(id);
    const hasOverride = store.hasOverride(id);
    if (scope === 'entry') {
      if (!hasOverride) {
        if (entry) {
          throw new GatewayError('catalog_conflict', {
            detail: `model ${id} comes from ${store.file}; only entries added through POST /api/models can be removed here`,
          });
        }
        throw new GatewayError('model_not_found', { detail: `no catalog entry ${id}` });
      }
      store.removeOverride(id);
      return {
        status: 200,
        body: { id, scope, weights_removed_from: [], entry_removed: true, freed_gib: 0 },
      };
    }

    const nodes = clusterNodes(app);
    nodes.forEach((node) => weights.invalidate(node));
    const probed = await weights.nodes(nodes);
    const repo = entry
      ? entry.hfRepo
      : (discoveredModels(store.entries, probed).find((model) => model.id === id)?.repo ?? null);
    if (!entry && !repo)
      throw new GatewayError('model_not_found', { detail: `no model ${id} in the catalog or on disk` });
    if (entry?.localPath) {
      throw new GatewayError('catalog_conflict', {
        detail: `model ${id} uses local weights at ${entry.localPath}, which spark-control never deletes; use scope=entry to remove its entry`,
      });
    }
    if (app.swaps?.busy) {
      // The swap may be loading these weights or need them for its rollback.
      throw new GatewayError('catalog_conflict', {
        detail: `a model swap is running${app.swaps.runningJobId ? ` (${app.swaps.runningJobId})` : ''}; delete weights after it ends`,
      });
    }
    if (downloads.activeFor(id)) {
      throw new GatewayError('catalog_conflict', {
        detail: `model ${id} is being downloaded; wait for the job to end`,
      });
    }
    if ((await loadedModelId(app, discoveredModels(store.entries, probed))) === id) {
      throw new GatewayError('catalog_conflict', {
        detail: `model ${id} is loaded; swap to another model first`,
      });
    }
    const unreadable = probed.find((node) => node.error !== null);
    if (unreadable) throw new GatewayError('node_unreachable', { detail: unreadable.error! });

    const removedFrom: string[] = [];
    let freed = 0;
    for (const node of probed) {
      const onDisk = repo ? node.repos.get(repo) : undefined;
      if (!repo || !onDisk) continue;
      const shell = app.shells.get(node.node)!;
      try {
        const result = await shell.run(['rm', '-rf', '--', repoDir(repo)], { timeoutMs: REMOVE_TIMEOUT_MS });
        weights.invalidate(node.node);
        const after = result.exitCode === 0 ? null : await weights.node(node.node);
        const gone = after === null || (after.error === null && !after.repos.has(repo));
        if (!gone) {
          throw new GatewayError('node_command_failed', {
            detail: `removing ${repoDir(repo)} on ${node.node} failed: ${result.stderr.trim().slice(0, 500)}`,
          });
        }
      } catch (error) {
        throw asGatewayError(error);
      } finally {
        weights.invalidate(node.node);
      }
      removedFrom.push(node.node);
      freed += onDisk.sizeGib ?? 0;
    }
    const entryRemoved = hasOverride ? store.removeOverride(id) : false;
    app.logger.info({ model: id, removedFrom, entryRemoved }, 'model deleted');
    return {
      status: 200,
      body: {
        id,
        scope,
        weights_removed_from: removedFrom,
        entry_removed: entryRemoved,
        freed_gib: Math.round(freed * 10) / 10,
      },
    };
  },

  startModelDownload: ({ app, params }) => {
    const { store, downloads } = catalogServices(app);
    const entry = store.entry(params.model_id);
    if (!entry) throw new GatewayError('model_not_found', { detail: `no catalog entry ${params.model_id}` });
    if (!entry.hfRepo) {
      throw new GatewayError('catalog_conflict', {
        detail: `model ${entry.id} uses local weights at ${entry.localPath}; there is nothing to download`,
      });
    }
    return { status: 202, body: downloads.start(entry) };
  },

  getDownloadJob: ({ app, params }) => {
    const job = catalogServices(app).downloads.get(params.job_id);
    if (!job) throw new GatewayError('not_found', { detail: `no download job ${params.job_id}` });
    return { status: 200, body: job };
  },
};
