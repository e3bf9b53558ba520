import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { components } from '../../generated/control';
import type { AppContext } from '../app-context';
import { SshError } from '../ssh/node-shell';
import { gatewayErrorFromSsh } from '../ssh/gateway-errors';
import { exclusively } from './action-lock';
import { firstLine } from './container-state';
import { probeService } from './http-probe';
import { reachableTarget } from './service-control';
import { createTar, type TarFile } from './tar';

type SpeechPatchResult = components['schemas']['SpeechPatchResult'];

/** Where parakeet-asr's application lives inside its container. */
export const PARAKEET_APP_DIR = '/app';
const MAX_FILES = 64;
const HEALTH_POLL_MS = 500;

/**
 * Copies the patch overlay into the running parakeet-asr container (a tar stream on the stdin of
 * `docker exec -i … tar -x`), restarts it and waits for its health. The outcome is reported in
 * plain words; only an unreachable node is an error.
 */
export async function reapplySpeechPatches(app: AppContext): Promise<SpeechPatchResult> {
  const target = reachableTarget(app, 'parakeet');
  const { container, node } = target.config;
  const dir = app.config.serviceControl.speechPatchesDir;
  return exclusively(app, 'parakeet', 'speech patches are being reapplied', async () => {
    const report = (fields: Omit<SpeechPatchResult, 'service' | 'node' | 'container' | 'finished_at'>) => {
      app.logger.info(
        { ok: fields.ok, files: fields.files.length, healthy: fields.healthy },
        'speech patches reapply',
      );
      return {
        service: 'parakeet' as const,
        node,
        container,
        ...fields,
        finished_at: new Date().toISOString(),
      };
    };
    /** Nothing was copied and the container still runs as it was: its health is probed as it is. */
    const notCopied = async (message: string) => {
      const probe = await probeService(app, 'parakeet');
      return report({ ok: false, files: [], restarted: false, healthy: probe.ok, health_wait_s: 0, message });
    };
    const files = readOverlay(dir);
    if (files.length === 0)
      return notCopied(
        `There are no patch files in ${dir}: nothing was copied and ${container} was not restarted.`,
      );
    const listed = files.map((f) => ({
      path: path.posix.join(PARAKEET_APP_DIR, f.path),
      bytes: f.content.length,
      sha256: createHash('sha256').update(f.content).digest('hex'),
    }));
    try {
      const copy = await target.shell.run(
        ['docker', 'exec', '-i', container, 'tar', '-x', '-C', PARAKEET_APP_DIR],
        {
          stdin: createTar(files),
          timeoutMs: 60_000,
        },
      );
      if (copy.exitCode !== 0)
        return notCopied(
          `The patches could not be copied into ${container} on ${node} (${firstLine(copy.stderr) || `exit status ${copy.exitCode ?? 'unknown'}`}); it was not restarted.`,
        );
      const restart = await target.shell.run(['docker', 'restart', container], { timeoutMs: 180_000 });
      if (restart.exitCode !== 0) {
        return report({
          ok: false,
          files: listed,
          restarted: false,
          healthy: false,
          health_wait_s: 0,
          message: `The patches were copied, but docker restart ${container} failed (${firstLine(restart.stderr)}); they take effect at its next restart.`,
        });
      }
    } catch (error) {
      if (error instanceof SshError) throw gatewayErrorFromSsh(error);
      throw error;
    }
    const waited = await waitForHealth(app, app.config.serviceControl.patchHealthWaitMs);
    return report({
      ok: waited.healthy,
      files: listed,
      restarted: true,
      healthy: waited.healthy,
      health_wait_s: waited.seconds,
      message: waited.healthy
        ? `The patches were copied, ${container} restarted and answers again.`
        : `The patches were copied and ${container} restarted, but it did not answer its health check within ${Math.round(waited.seconds)} s (${waited.problem}). Check its logs (docker logs ${container}).`,
    });
  });
}

/** The overlay's regular files, relative paths sorted; none when the directory is missing. */
function readOverlay(dir: string): TarFile[] {
  if (!fs.existsSync(dir)) return [];
  const files: TarFile[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) {
        const full = path.join(dir, rel);
        files.push({ path: rel, content: fs.readFileSync(full), mode: fs.statSync(full).mode & 0o777 });
      }
    }
  };
  walk('');
  if (files.length > MAX_FILES)
    throw new Error(`${dir} holds ${files.length} files; at most ${MAX_FILES} are copied`);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

async function waitForHealth(
  app: AppContext,
  limitMs: number,
): Promise<{ healthy: boolean; seconds: number; problem: string | null }> {
  const started = performance.now();
  const seconds = () => Math.round((performance.now() - started) / 100) / 10;
  for (;;) {
    const probe = await probeService(app, 'parakeet');
    if (probe.ok) return { healthy: true, seconds: seconds(), problem: null };
    if (performance.now() - started + HEALTH_POLL_MS > limitMs) {
      return { healthy: false, seconds: seconds(), problem: probe.problem };
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
}
