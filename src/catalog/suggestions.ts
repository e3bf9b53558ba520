import type { AppContext } from '../app-context';
import type { components } from '../../generated/control';
import type { CatalogServices } from './catalog-services';
import { discoveredModels } from './menu';
import { clusterNodes } from './weights-probe';

type Suggestion = components['schemas']['CatalogSuggestions']['suggestions'][number];

const HF_SEARCH_TIMEOUT_MS = 3_000;
const HF_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * Model ids from a Hugging Face search, or [] when the Hub cannot be reached. Honours the Hub
 * client's own variables: `HF_ENDPOINT` (a mirror) and `HF_HUB_OFFLINE=1` (no network at all).
 */
async function searchHuggingFace(query: string, limit: number): Promise<string[]> {
  if (process.env.HF_HUB_OFFLINE === '1' || !query) return [];
  const endpoint = (process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/$/, '');
  const url = `${endpoint}/api/models?search=${encodeURIComponent(query)}&limit=${limit}&sort=downloads&direction=-1`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(HF_SEARCH_TIMEOUT_MS) });
    if (!response.ok) return [];
    const body = (await response.json()) as { id?: unknown; modelId?: unknown }[];
    if (!Array.isArray(body)) return [];
    return body
      .map((model) => model?.id ?? model?.modelId)
      .filter((id): id is string => typeof id === 'string' && id.length <= 200 && HF_REPO.test(id));
  } catch {
    return [];
  }
}

function score(query: string, ...texts: (string | null)[]): number | null {
  if (!query) return 0;
  let best: number | null = null;
  for (const text of texts) {
    const lower = (text ?? '').toLowerCase();
    const name = lower.split('/').at(-1) ?? lower;
    const value = name.startsWith(query) ? 0 : lower.includes(query) ? 1 : null;
    if (value !== null && (best === null || value < best)) best = value;
  }
  return best;
}

/** Catalog entries, on-disk models and Hugging Face results matching `query`, best first. */
export async function suggestModels(
  app: AppContext,
  services: CatalogServices,
  rawQuery: string,
  limit: number,
): Promise<Suggestion[]> {
  const query = rawQuery.trim().toLowerCase();
  const probed = await services.weights.nodes(clusterNodes(app));
  const nodesWith = (repo: string) => probed.filter((node) => node.repos.has(repo)).map((node) => node.node);
  const ranked: { score: number; group: number; suggestion: Suggestion }[] = [];
  for (const entry of services.store.entries) {
    if (!entry.hfRepo) continue;
    const value = score(query, entry.hfRepo, entry.displayName, entry.id);
    if (value === null) continue;
    ranked.push({
      score: value,
      group: 0,
      suggestion: {
        hf_repo: entry.hfRepo,
        display_name: entry.displayName,
        source: 'catalog',
        catalog_id: entry.id,
        on_disk_nodes: nodesWith(entry.hfRepo),
      },
    });
  }
  for (const model of discoveredModels(services.store.entries, probed)) {
    const value = score(query, model.repo);
    if (value === null) continue;
    ranked.push({
      score: value,
      group: 1,
      suggestion: {
        hf_repo: model.repo,
        display_name: null,
        source: 'on_disk',
        catalog_id: null,
        on_disk_nodes: model.nodes,
      },
    });
  }
  const listed = new Set(ranked.map((item) => item.suggestion.hf_repo));
  if (ranked.length < limit) {
    for (const repo of await searchHuggingFace(query, limit)) {
      if (listed.has(repo)) continue;
      listed.add(repo);
      ranked.push({
        score: score(query, repo) ?? 2,
        group: 2,
        suggestion: {
          hf_repo: repo,
          display_name: null,
          source: 'huggingface',
          catalog_id: null,
          on_disk_nodes: [],
        },
      });
    }
  }
  return ranked
    .sort((a, b) => a.group - b.group || a.score - b.score)
    .slice(0, limit)
    .map((item) => item.suggestion);
}
