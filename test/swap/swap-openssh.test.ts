import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  commandControlScript,
  startCommandControl,
  type CommandControl,
} from '../../src/emulator/launcher-control';
import type { CommandRegistry } from '../../src/emulator';
import { loadOrCreateControllerKey } from '../../src/ssh/controller-key';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { startSshd, type Sshd } from '../helpers/sshd';
import { finished, readEvents, getJob, startSwap, waitForJob, MODELS_ON_DISK } from './swap-client';

// Real sshd sessions on a loaded CI machine need slack.
jest.setTimeout(60_000);

/**
 * The same swap as against the emulated SSH hosts, but over a real OpenSSH server per node, where
 * `docker`, `launch-cluster.sh` and `ls` are small scripts that drive the emulated cluster.
 */
describe('model swap over a real OpenSSH server', () => {
  let work: string;
  let control: CommandControl;
  let sshds: Sshd[] = [];
  let gw: TestGateway;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-swap-openssh-'));
    const keyPath = path.join(work, 'data', 'ssh', 'id_ed25519');
    const key = loadOrCreateControllerKey(keyPath);
    const scripts = path.join(work, 'bin');
    fs.mkdirSync(scripts);
    for (const program of ['docker', 'launch-cluster.sh', 'ls']) {
      fs.writeFileSync(path.join(scripts, program), commandControlScript(process.execPath), { mode: 0o755 });
    }
    // The endpoint is bound to the cluster's nodes once the test gateway has started the cluster.
    const commands: Record<string, CommandRegistry> = {};
    control = await startCommandControl(commands);
    const sshdFor: Record<string, Sshd> = {};
    for (const node of ['spark1', 'spark2']) {
      sshdFor[node] = await startSshd({
        authorizedKeys: [key.publicKey],
        scriptsDir: scripts,
        env: { EMU_CONTROL: control.url, EMU_NODE: node },
      });
    }
    sshds = Object.values(sshdFor);
    gw = await startTestGateway({
      cluster: { loadDelayMs: 300, modelsOnDisk: MODELS_ON_DISK },
      env: { SSH_KEY_PATH: keyPath },
      configure: (config) => ({
        ...config,
        nodes: [
          sshdFor.spark1!.node('spark1', ['head', 'llm']),
          sshdFor.spark2!.node('spark2', ['speech', 'worker']),
        ],
      }),
    });
    Object.assign(commands, gw.cluster.commands);
    gw.gateway.context.swaps!.tuning.launcher = 'launch-cluster.sh';
  });

  afterAll(async () => {
    await gw?.close();
    for (const sshd of sshds) await sshd.stop();
    await control?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('runs every phase and ends with the new model serving', async () => {
    const accepted = await startSwap(gw.baseUrl, { model: 'other-model' });
    const { events } = await readEvents(gw.baseUrl, accepted.job_id);
    const job = await getJob(gw.baseUrl, accepted.job_id);
    expect(job.failure).toBeNull();
    expect(job.state).toBe('succeeded');
    expect(job.phases.every((p) => p.state === 'done')).toBe(true);
    expect(events.at(-1)!.type).toBe('done');
    expect(job.log_tail.some((line) => line.includes('Application startup complete.'))).toBe(true);
    expect(gw.cluster.vllm.servedNames()).toContain('other-model');
    expect(gw.cluster.launcher.launches[0]!.argv[0]).toBe('launch-cluster.sh');
  });

  it('keeps loading when sshd drops every session mid-load; the job still finishes', async () => {
    gw.cluster.launcher.loadDelayMs = 2_000;
    const accepted = await startSwap(gw.baseUrl, { model: 'test-model' });
    await waitForJob(gw.baseUrl, accepted.job_id, (j) => j.phase === 'follow_logs', 'loading');
    await sshds[0]!.restart();
    expect(gw.cluster.vllm.state).toBe('loading');
    const job = await waitForJob(gw.baseUrl, accepted.job_id, finished, 'swap after the drop');
    expect(job.state).toBe('succeeded');
    expect(gw.cluster.vllm.servedNames()).toContain('test-model');
  });
});
