import type { AppContext } from '../app-context';
import { HF_HUB_DIR, repoDir, repoOfFolder } from './hf-cache';

/** What one node's disk holds, as of `checkedAt`. */
export interface NodeWeights {
  node: string;
  checkedAt: Date;
  /** Why the disk could not be read (then nothing is known to be present). */
  error: string | null;
  /** Complete HF repos in the cache, with their size on disk. */
  repos: Map<string, { sizeGib: number | null }>;
  /** Local model directories that exist, with their size. */
  localPaths: Map<string, { sizeGib: number | null }>;
}

const PROBE_TTL_MS = 15_000;
const COMMAND_TIMEOUT_MS = 15_000;
const KIB_PER_GIB = 1024 * 1024;

/** The head node first (role `head`, else the first configured), then the others in inventory order. */
export function clusterNodes(app: AppContext): string[] {
  const nodes = app.config.nodes;
  const head = nodes.find((node) => node.roles.includes('head')) ?? nodes[0];
  return head ? [head.id, ...nodes.filter((node) => node !== head).map((node) => node.id)] : [];
}

export function placementNodes(app: AppContext, count: number): string[] {
  return clusterNodes(app).slice(0, count);
}

function parseDu(stdout: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const match = /^(\d+)\t(.+)$/.exec(line);
    if (match) sizes.set(match[2]!.replace(/\/$/, ''), Number(match[1]));
  }
  return sizes;
}

const round = (gib: number) => Math.round(gib * 10) / 10;

/**
 * Which weights each node has, read over SSH: complete snapshots in the node's HF cache (a repo with
 * a `.incomplete` blob is still downloading) and the catalog's local paths, with `du` sizes. Answers
 * are cached for a short while; downloads and deletions invalidate them.
 */
export class WeightsProbe {
  private readonly cache = new Map<string, NodeWeights>();
  private readonly inFlight = new Map<string, Promise<NodeWeights>>();

  constructor(private readonly app: AppContext) {}

  invalidate(node?: string): void {
    if (node === undefined) this.cache.clear();
    else this.cache.delete(node);
  }

  /** The last answer for a node, without probing. */
  cached(node: string): NodeWeights | undefined {
    return this.cache.get(node);
  }

  async nodes(nodeIds: string[]): Promise<NodeWeights[]> {
    return Promise.all(nodeIds.map((node) => this.node(node)));
  }

  node(node: string): Promise<NodeWeights> {
    const cached = this.cache.get(node);
    if (cached && Date.now() - cached.checkedAt.getTime() < PROBE_TTL_MS) return Promise.resolve(cached);
    let running = this.inFlight.get(node);
    if (!running) {
      running = this.probe(node).finally(() => this.inFlight.delete(node));
      this.inFlight.set(node, running);
    }
    return running;
  }

  private async probe(node: string): Promise<NodeWeights> {
    const result: NodeWeights = {
      node,
      checkedAt: new Date(),
      error: null,
      repos: new Map(),
      localPaths: new Map(),
    };
    const shell = this.app.shells.get(node);
    if (!shell) {
      result.error = `no SSH connection is configured for node ${node}`;
      return result;
    }
    try {
      const listing = await shell.run(
        [
          'find',
          HF_HUB_DIR,
          '-mindepth',
          '3',
          '-maxdepth',
          '3',
          '(',
          '-path',
          '*/snapshots/*',
          '-o',
          '-name',
          '*.incomplete',
          ')',
        ],
        { timeoutMs: COMMAND_TIMEOUT_MS },
      );
      const missingCache = /No such file or directory/.test(listing.stderr);
      // An unreported exit status (null, null) is judged by the output, which names what exists.
      const unreported = listing.exitCode === null && listing.signal === null;
      if (listing.exitCode !== 0 && !missingCache && !unreported) {
        throw new Error(`find failed (exit ${listing.exitCode}): ${listing.stderr.trim().slice(0, 300)}`);
      }
      const complete = new Set<string>();
      const incomplete = new Set<string>();
      for (const line of listing.stdout.split('\n')) {
        const [folder, kind, name] = line.replace(`${HF_HUB_DIR}/`, '').split('/');
        const repo = folder ? repoOfFolder(folder) : null;
        if (!repo || !name) continue;
        if (kind === 'snapshots') complete.add(repo);
        else if (kind === 'blobs' && name.endsWith('.incomplete')) incomplete.add(repo);
      }
      const repos = [...complete].filter((repo) => !incomplete.has(repo));
      const localPaths = [
        ...new Set(this.app.catalog.entries.flatMap((e) => (e.localPath ? [e.localPath] : []))),
      ];
      const targets = [...repos.map(repoDir), ...localPaths];
      const sizes =
        targets.length > 0
          ? parseDu((await shell.run(['du', '-sk', ...targets], { timeoutMs: COMMAND_TIMEOUT_MS })).stdout)
          : new Map<string, number>();
      for (const repo of repos) {
        const kib = sizes.get(repoDir(repo));
        result.repos.set(repo, { sizeGib: kib === undefined ? null : round(kib / KIB_PER_GIB) });
      }
      for (const localPath of localPaths) {
        const kib = sizes.get(localPath);
        if (kib !== undefined) result.localPaths.set(localPath, { sizeGib: round(kib / KIB_PER_GIB) });
      }
    } catch (error) {
      result.error = `cannot read the disk of ${node}: ${(error as Error).message}`;
    }
    this.cache.set(node, result);
    return result;
  }
}
