import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context';
import type { components } from '../../generated/control';
import type { CommandResult, NodeShell } from '../ssh/node-shell';
import type { StateDatabase } from '../state/database';
import type { CatalogEntry } from './catalog';
import { repoDir } from './hf-cache';
import { HfDownloadProgress, LineSplitter, parseRsyncProgress } from './transfer-progress';
import { placementNodes, type WeightsProbe } from './weights-probe';

export type DownloadJob = components['schemas']['DownloadJob'];
type NodeStep = DownloadJob['nodes'][number];

const LOG_LINES = 200;
const PERSIST_EVERY_MS = 1_000;
/** Big models take hours on a slow line; the job gives up after this long. */
const DOWNLOAD_TIMEOUT_MS = 12 * 3600_000;
const SIZE_TIMEOUT_MS = 60_000;

function newJobId(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return 'dl_' + [...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** Jobs that were running when the gateway stopped cannot be followed any more: they failed. */
export function failInterruptedDownloads(db: StateDatabase): void {
  const rows = db.prepare(`SELECT job FROM catalog_downloads WHERE state IN ('queued', 'running')`).all() as {
    job: string;
  }[];
  for (const row of rows) {
    const job = JSON.parse(row.job) as DownloadJob;
    job.state = 'failed';
    job.finished_at = new Date().toISOString();
    job.error = 'the gateway restarted while the download ran; start the download again';
    for (const node of job.nodes)
      if (node.state === 'running' || node.state === 'pending') node.state = 'failed';
    saveJob(db, job);
  }
}

function saveJob(db: StateDatabase, job: DownloadJob): void {
  if (!db.open) return;
  db.prepare(
    `INSERT INTO catalog_downloads (job_id, model_id, state, job, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(job_id) DO UPDATE SET state = excluded.state, job = excluded.job, updated_at = excluded.updated_at`,
  ).run(job.job_id, job.model_id, job.state, JSON.stringify(job), new Date().toISOString());
}

/** Why a transfer tool failed, in plain words, from its last output lines. */
export function explainFailure(tool: string, node: string, exitCode: number | null, output: string): string {
  const lines = output
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line && !/^\S.*\d+%\|/.test(line));
  const last = lines.slice(-3).join(' ').slice(0, 600);
  if (/Repository Not Found|RepositoryNotFoundError|404 Client Error/i.test(output)) {
    return `Hugging Face has no such repository, or it is private: ${last}`;
  }
  if (/GatedRepoError|gated|401 Client Error|403 Client Error/i.test(output)) {
    return `the repository is gated: accept its licence on huggingface.co and set HF_TOKEN: ${last}`;
  }
  if (/command not found/.test(output)) {
    return `${tool} is not installed on ${node} (or not on the SSH user's PATH)`;
  }
  if (/No space left on device/i.test(output)) return `${node} ran out of disk space: ${last}`;
  return `${tool} failed on ${node} (exit ${exitCode ?? 'by signal'})${last ? `: ${last}` : ''}`;
}

/**
 * Weight downloads as persistent jobs: `hf download` into the head node's Hugging Face cache, then
 * `rsync` from the head node to every other node of the placement, over SSH, with progress read
 * from the tools' output. Jobs are kept in SQLite after they finish.
 */
export class DownloadJobs {
  private readonly active = new Map<string, DownloadJob>();

  constructor(
    private readonly app: AppContext,
    private readonly probe: WeightsProbe,
  ) {}

  get(jobId: string): DownloadJob | undefined {
    const live = [...this.active.values()].find((job) => job.job_id === jobId);
    if (live) return structuredClone(live);
    const row = this.app.db.prepare('SELECT job FROM catalog_downloads WHERE job_id = ?').get(jobId) as
      { job: string } | undefined;
    return row ? (JSON.parse(row.job) as DownloadJob) : undefined;
  }

  /** The running job of a model, if any. */
  activeFor(modelId: string): DownloadJob | undefined {
    const job = this.active.get(modelId);
    return job ? structuredClone(job) : undefined;
  }

  /** Starts a download of the entry's weights, or answers the one already running. */
  start(entry: CatalogEntry): DownloadJob {
    const running = this.active.get(entry.id);
    if (running) return structuredClone(running);
    const repo = entry.hfRepo!;
    const nodes = placementNodes(this.app, entry.model.placement.nodes);
    const job: DownloadJob = {
      job_id: newJobId(),
      model_id: entry.id,
      hf_repo: repo,
      state: 'queued',
      started_at: new Date().toISOString(),
      finished_at: null,
      percent: null,
      bytes_done: 0,
      bytes_total: null,
      bytes_per_s: null,
      eta_s: null,
      nodes: nodes.map((node, index) => ({
        node,
        step: index === 0 ? 'download' : 'copy',
        state: 'pending',
        bytes_done: 0,
        bytes_total: null,
        percent: null,
      })),
      log_tail: [],
      error: null,
    };
    saveJob(this.app.db, job);
    this.active.set(entry.id, job);
    void new DownloadRun(this.app, job, entry, this.probe).run().finally(() => {
      this.active.delete(entry.id);
      for (const node of nodes) this.probe.invalidate(node);
    });
    return structuredClone(job);
  }
}

/** One job's execution; mutates the job the registry answers with and persists it as it goes. */
class DownloadRun {
  private lastSaved = 0;
  private progressLine: string | null = null;
  private stepStarted = 0;
  private readonly revision: string | undefined;
  /** The model's repo first, then its draft models. */
  private readonly repos: string[];

  constructor(
    private readonly app: AppContext,
    private readonly job: DownloadJob,
    entry: CatalogEntry,
    private readonly probe: WeightsProbe,
  ) {
    this.revision = entry.model.hf_revision;
    this.repos = [...new Set([job.hf_repo, ...(entry.model.draft_repos ?? [])])];
  }

  async run(): Promise<void> {
    const { job } = this;
    job.state = 'running';
    this.save(true);
    try {
      const [head, ...copies] = job.nodes;
      if (!head) throw new Error('the cluster has no nodes configured');
      const sizes = await this.download(head);
      const total = [...sizes.values()].reduce((a, b) => a + b, 0);
      for (const node of copies) node.bytes_total = total;
      for (const node of copies) await this.copy(head.node, node, sizes);
      job.state = 'succeeded';
      this.log(`done: ${this.repos.join(', ')} on ${job.nodes.map((n) => n.node).join(', ')}`);
    } catch (error) {
      job.state = 'failed';
      job.error = (error as Error).message.slice(0, 2000);
      for (const node of job.nodes) if (node.state !== 'done') node.state = 'failed';
      this.log(`failed: ${job.error}`);
    }
    job.finished_at = new Date().toISOString();
    job.bytes_per_s = null;
    job.eta_s = job.state === 'succeeded' ? 0 : null;
    this.summarize();
    this.save(true);
    this.app.logger.info(
      { job: job.job_id, model: job.model_id, state: job.state, error: job.error },
      'weights download finished',
    );
  }

  /** `hf download` of the model (and its draft models) on the head node; returns each repo's size in bytes. */
  private async download(step: NodeStep): Promise<Map<string, number>> {
    const shell = this.shellOf(step.node);
    const sizes = new Map<string, number>();
    this.begin(step);
    await this.handOverToken(step.node);
    for (const [index, repo] of this.repos.entries()) {
      const offset = [...sizes.values()].reduce((a, b) => a + b, 0);
      const revision = index === 0 && this.revision ? ['--revision', this.revision] : [];
      const argv = ['hf', 'download', repo, ...revision];
      this.log(`$ ${argv.join(' ')}  (on ${step.node})`);
      const progress = new HfDownloadProgress();
      const output = this.follow((line) => {
        if (!progress.line(line)) return false;
        const bytes = progress.bytes();
        const fraction =
          bytes.total !== null && bytes.total > 0
            ? Math.min(1, bytes.done / bytes.total)
            : progress.files
              ? progress.files.done / Math.max(1, progress.files.total)
              : 0;
        step.bytes_done = offset + bytes.done;
        step.bytes_total = this.repos.length === 1 ? bytes.total : null;
        step.percent = (100 * (index + fraction)) / this.repos.length;
        return true;
      });
      await this.runFollowed(shell, argv, output, step, repo, 'hf download', step.node);
      sizes.set(repo, await this.sizeOn(step.node, repo));
    }
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    this.finish(step, total);
    return sizes;
  }

  /**
   * Writes the configured Hugging Face token (settings or `HF_TOKEN`) into the node's standard token
   * file, where `hf download` finds it. It travels on stdin, never on a command line the node's
   * process list or logs could show; the file is created 0600.
   */
  private async handOverToken(node: string): Promise<void> {
    const token = this.app.settings?.secret('HF_TOKEN') ?? null;
    if (token === null) return;
    const shell = this.shellOf(node);
    await shell.run(['mkdir', '-p', '-m', '700', '.cache/huggingface'], { timeoutMs: 30_000 });
    const written = await shell.run(['install', '-m', '600', '/dev/stdin', '.cache/huggingface/token'], {
      stdin: `${token}\n`,
      timeoutMs: 30_000,
    });
    if (written.exitCode !== 0) {
      throw new Error(
        `could not write the Hugging Face token on ${node}: ${written.stderr.trim().slice(0, 300)}`,
      );
    }
    this.log(`Hugging Face token written to ~/.cache/huggingface/token on ${node}`);
  }

  /** `rsync` of every repo from the head node to a worker, over the head node's own SSH to it. */
  private async copy(head: string, step: NodeStep, sizes: Map<string, number>): Promise<void> {
    const shell = this.shellOf(head);
    const target = this.app.config.nodes.find((node) => node.id === step.node);
    if (!target) throw new Error(`node ${step.node} is not in the inventory`);
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    this.begin(step);
    step.bytes_total = total;
    let offset = 0;
    for (const [repo, size] of sizes) {
      const dir = repoDir(repo);
      const argv = [
        'rsync',
        '-a',
        '--mkpath',
        '--info=progress2',
        '--no-inc-recursive',
        '-e',
        `ssh -p ${target.sshPort} -o BatchMode=yes`,
        `${dir}/`,
        `${target.user}@${target.host}:${dir}/`,
      ];
      this.log(`$ ${argv.join(' ')}  (on ${head})`);
      const output = this.follow((line) => {
        const progress = parseRsyncProgress(line);
        if (!progress) return false;
        step.bytes_done = offset + Math.min(size, progress.bytes);
        step.percent = total > 0 ? (100 * step.bytes_done) / total : progress.percent;
        return true;
      });
      await this.runFollowed(shell, argv, output, step, repo, `copying to ${step.node} (rsync)`, head);
      offset += size;
    }
    this.finish(step, total);
  }

  /**
   * Output handlers for a transfer tool: lines `progress` recognises update the job, the others go to
   * the log; the last 8 KiB are kept to explain a failure.
   */
  /**
   * Runs a step's command with its output followed; a failed exit (unless the files landed anyway)
   * fails the step, explained with the command's own last words.
   */
  private async runFollowed(
    shell: NodeShell,
    argv: string[],
    output: ReturnType<DownloadRun['follow']>,
    step: NodeStep,
    repo: string,
    tool: string,
    host: string,
  ): Promise<void> {
    const result = await shell.run(argv, { timeoutMs: DOWNLOAD_TIMEOUT_MS, ...output.handlers });
    output.flush();
    if (result.exitCode === 0 || (await this.landedDespiteUnknownExit(result, step.node, repo))) return;
    step.state = 'failed';
    throw new Error(explainFailure(tool, host, result.exitCode, output.text() || result.stderr));
  }

  private follow(progress: (line: string) => boolean) {
    let text = '';
    const lines = new LineSplitter((line) => {
      if (progress(line)) this.progress(line.trim());
      else this.log(line);
    });
    const onOutput = (chunk: string) => {
      text = (text + chunk).slice(-8192);
      lines.feed(chunk);
    };
    return {
      handlers: { onStdout: onOutput, onStderr: onOutput },
      flush: () => lines.flush(),
      text: () => text,
    };
  }

  /**
   * A channel can close without reporting the exit status (exit code and signal both null); then
   * the node's disk decides: the transfer worked if the weights are now complete there.
   */
  private async landedDespiteUnknownExit(
    result: CommandResult,
    node: string,
    repo: string,
  ): Promise<boolean> {
    if (result.exitCode !== null || result.signal !== null) return false;
    this.probe.invalidate(node);
    const landed = (await this.probe.node(node)).repos.has(repo);
    this.log(
      landed
        ? `the exit status was not reported; ${repo} is complete on ${node}`
        : `the exit status was not reported and ${repo} is not complete on ${node}`,
    );
    return landed;
  }

  private async sizeOn(node: string, repo: string): Promise<number> {
    const result = await this.shellOf(node).run(['du', '-sk', repoDir(repo)], {
      timeoutMs: SIZE_TIMEOUT_MS,
    });
    const kib = /^(\d+)\t/.exec(result.stdout)?.[1];
    // An unreported exit status (null, null) is judged by the output: du printed the size or not.
    if ((result.exitCode !== 0 && result.exitCode !== null) || kib === undefined) {
      throw new Error(`the download ended but ${repoDir(repo)} is not on ${node}`);
    }
    return Number(kib) * 1024;
  }

  private shellOf(node: string) {
    const shell = this.app.shells.get(node);
    if (!shell) throw new Error(`no SSH connection is configured for node ${node}`);
    return shell;
  }

  private begin(step: NodeStep): void {
    step.state = 'running';
    step.bytes_done = 0;
    step.percent = 0;
    this.stepStarted = performance.now();
    this.save(true);
  }

  private finish(step: NodeStep, total: number): void {
    step.state = 'done';
    step.bytes_done = total;
    step.bytes_total = total;
    step.percent = 100;
    this.progressLine = null;
    this.save(true);
  }

  private log(line: string): void {
    this.job.log_tail.push(line.slice(0, 4096));
    if (this.job.log_tail.length > LOG_LINES)
      this.job.log_tail.splice(0, this.job.log_tail.length - LOG_LINES);
    this.save(false);
  }

  /** A redrawn progress line replaces the previous one instead of filling the log. */
  private progress(line: string): void {
    const tail = this.job.log_tail;
    if (this.progressLine !== null && tail.at(-1) === this.progressLine) tail.pop();
    this.progressLine = line.slice(0, 4096);
    tail.push(this.progressLine);
    if (tail.length > LOG_LINES) tail.shift();
    const running = this.job.nodes.find((node) => node.state === 'running');
    const seconds = (performance.now() - this.stepStarted) / 1000;
    if (running && seconds > 0.05) this.job.bytes_per_s = Math.round(running.bytes_done / seconds);
    this.save(false);
  }

  /** Overall figures from the per-node steps. */
  private summarize(): void {
    const { job } = this;
    job.bytes_done = job.nodes.reduce((sum, node) => sum + node.bytes_done, 0);
    const totals = job.nodes.map((node) => node.bytes_total);
    job.bytes_total = totals.every((total) => total !== null) ? totals.reduce((a, b) => a! + b!, 0) : null;
    if (job.bytes_total !== null && job.bytes_total > 0) {
      job.percent = round(Math.min(100, (100 * job.bytes_done) / job.bytes_total));
    } else {
      const percents = job.nodes.map((node) => node.percent ?? 0);
      job.percent = job.nodes.some((node) => node.percent !== null)
        ? round(percents.reduce((a, b) => a + b, 0) / Math.max(1, percents.length))
        : null;
    }
    for (const node of job.nodes) if (node.percent !== null) node.percent = round(node.percent);
    if (job.state === 'running') {
      job.eta_s =
        job.bytes_total !== null && job.bytes_per_s
          ? Math.max(0, Math.round((job.bytes_total - job.bytes_done) / job.bytes_per_s))
          : null;
    }
  }

  private save(force: boolean): void {
    this.summarize();
    const now = performance.now();
    if (!force && now - this.lastSaved < PERSIST_EVERY_MS) return;
    this.lastSaved = now;
    saveJob(this.app.db, this.job);
  }
}

const round = (value: number) => Math.round(value * 10) / 10;
