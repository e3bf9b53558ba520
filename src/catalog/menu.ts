import type { AppContext } from '../app-context';
import type { components } from '../../generated/control';
import { getFromService } from '../upstream/fetch-json';
import type { CatalogEntry, CatalogModel } from './catalog';
import type { CatalogServices } from './catalog-services';
import { clusterNodes, placementNodes, type NodeWeights } from './weights-probe';

type CatalogMenu = components['schemas']['CatalogMenu'];
type MenuEntry = components['schemas']['CatalogMenuEntry'];
type WeightsRow = MenuEntry['weights'][number];

/** A model on some node's disk that no catalog entry names. */
export interface DiscoveredModel {
  id: string;
  repo: string;
  nodes: string[];
}

/** An id for an on-disk repo: its name as a slug, or org and name when the name is taken. */
function discoveredId(repo: string, taken: Set<string>): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 120) || 'model';
  const [org = '', name = ''] = repo.split('/');
  for (const candidate of [slug(name), slug(`${org}-${name}`)]) if (!taken.has(candidate)) return candidate;
  let n = 2;
  while (taken.has(`${slug(name)}-${n}`)) n++;
  return `${slug(name)}-${n}`;
}

/** Repos on disk (on any node) that no entry of the catalog names. */
export function discoveredModels(entries: CatalogEntry[], weights: NodeWeights[]): DiscoveredModel[] {
  const known = new Set(
    entries.flatMap((entry) => (entry.hfRepo ? [entry.hfRepo, ...(entry.model.draft_repos ?? [])] : [])),
  );
  const taken = new Set(entries.flatMap((entry) => [entry.id, entry.servedModelName, ...entry.aliases]));
  const found = new Map<string, string[]>();
  for (const node of weights) {
    for (const repo of node.repos.keys()) {
      if (!known.has(repo)) found.set(repo, [...(found.get(repo) ?? []), node.node]);
    }
  }
  return [...found.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([repo, nodes]) => {
      const id = discoveredId(repo, taken);
      taken.add(id);
      return { id, repo, nodes };
    });
}

/** The catalog id of the model vLLM serves right now, or null (idle, loading or unreachable). */
export async function loadedModelId(
  app: AppContext,
  discovered: DiscoveredModel[] = [],
): Promise<string | null> {
  const answer = await getFromService(app, 'vllm', '/v1/models', 2_000);
  const first = (
    (answer.body as { data?: unknown } | null)?.data as { id?: unknown; root?: unknown }[] | undefined
  )?.[0];
  if (!answer.ok || typeof first?.id !== 'string') return null;
  const entries = app.catalog.entries;
  const byServed = entries.find((entry) => entry.servedModelName === first.id);
  if (byServed) return byServed.id;
  const root = typeof first.root === 'string' ? first.root : first.id;
  return (
    entries.find((entry) => entry.hfRepo === root || entry.localPath === root)?.id ??
    discovered.find((model) => model.repo === root)?.id ??
    null
  );
}

/** Whether a node holds an entry's weights: its repo and every draft model, or its local path. */
function weightsRow(node: NodeWeights | undefined, nodeId: string, entry: CatalogModel): WeightsRow {
  const parts = entry.hf_repo
    ? [entry.hf_repo, ...(entry.draft_repos ?? [])].map((repo) => node?.repos.get(repo))
    : [entry.local_path ? node?.localPaths.get(entry.local_path) : undefined];
  const present = parts.every((part) => part !== undefined);
  const sizes = parts.map((part) => part?.sizeGib ?? null);
  return {
    node: nodeId,
    present,
    size_gib:
      present && sizes.every((size) => size !== null)
        ? Math.round(sizes.reduce((a, b) => a! + b!, 0)! * 10) / 10
        : null,
    ...(node?.error ? { error: node.error.slice(0, 1024) } : {}),
  };
}

function statusOf(weights: WeightsRow[], downloading: boolean): MenuEntry['status'] {
  if (downloading) return 'downloading';
  return weights.length > 0 && weights.every((row) => row.present) ? 'ready' : 'needs_download';
}

/** The model menu: catalog entries and on-disk models, each with its weights per node. */
export async function buildMenu(app: AppContext, services: CatalogServices): Promise<CatalogMenu> {
  const { store, weights, downloads } = services;
  const probed = await weights.nodes(clusterNodes(app));
  const byNode = new Map(probed.map((node) => [node.node, node]));
  const discovered = discoveredModels(store.entries, probed);
  const current = await loadedModelId(app, discovered);
  const checked = probed.filter((node) => node.error === null).map((node) => node.checkedAt.getTime());

  const models: MenuEntry[] = store.entries.map((entry) => {
    const rows = placementNodes(app, entry.model.placement.nodes).map((node) =>
      weightsRow(byNode.get(node), node, entry.model),
    );
    const job = downloads.activeFor(entry.id);
    return {
      id: entry.id,
      display_name: entry.displayName,
      source: entry.source,
      status: statusOf(rows, job !== undefined),
      needs_setup: false,
      loaded: entry.id === current,
      download_job_id: job?.job_id ?? null,
      weights: rows,
      entry: entry.model,
    };
  });
  for (const model of discovered) {
    const name = model.repo.split('/')[1] ?? model.repo;
    const entry: CatalogModel = {
      id: model.id,
      display_name: name.slice(0, 128),
      description: `Found on ${model.nodes.join(', ')} without a catalog entry; settings inferred from the repo name, to be confirmed.`,
      hf_repo: model.repo,
      served_model_name: name,
      placement: { nodes: 1, backend: 'no-ray' },
      readiness: { probe: 'chat' },
    };
    const nodes = [...new Set([...placementNodes(app, 1), ...model.nodes])];
    const rows = nodes.map((node) => weightsRow(byNode.get(node), node, entry));
    models.push({
      id: model.id,
      display_name: entry.display_name,
      source: 'discovered',
      status: statusOf(rows.slice(0, 1), false),
      needs_setup: true,
      loaded: model.id === current,
      download_job_id: null,
      weights: rows,
      entry,
    });
  }
  return {
    current,
    checked_at: checked.length > 0 ? new Date(Math.min(...checked)).toISOString() : null,
    models,
    recipes: store.entries.flatMap((entry) =>
      entry.hfRepo ? [{ id: entry.id, display_name: entry.displayName, hf_repo: entry.hfRepo }] : [],
    ),
    problems: store.issues.map((issue) => ({
      file: issue.file.slice(0, 1024),
      entry: issue.entry,
      field: issue.field,
      message: issue.message.slice(0, 2048),
    })),
  };
}
