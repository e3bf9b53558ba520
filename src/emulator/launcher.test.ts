import { startEmulatedCluster, type EmulatedCluster } from './cluster';

/** Runs a command line on an emulated node as its SSH host would, with a session that can end. */
async function runOnNode(cluster: EmulatedCluster, line: string, session = new AbortController()) {
  let stdout = '';
  let stderr = '';
  const status = await cluster.commands.spark1.run(
    line,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    session.signal,
  );
  return { status, stdout, stderr };
}

describe('the emulated spark-vllm-docker launcher', () => {
  let cluster: EmulatedCluster;

  beforeEach(async () => {
    cluster = await startEmulatedCluster({ initialModel: null, loadDelayMs: 300 });
  });

  afterEach(async () => {
    await cluster.stop();
  });

  it('dispatches a daemon-mode load that outlives the session, and stop really unloads', async () => {
    const session = new AbortController();
    const launched = await runOnNode(
      cluster,
      'launch-cluster.sh -d --solo -t vllm-node exec vllm serve org/m --served-model-name m alias-m --port 8888',
      session,
    );
    expect(launched.status).toBe(0);
    expect(launched.stdout).toContain('Command dispatched in background (Daemon mode)');
    session.abort(); // the SSH session ends
    await cluster.vllm.waitUntilReady(5_000);
    expect(cluster.vllm.servedNames()).toEqual(['m', 'alias-m']);
    expect(cluster.docker.find('vllm_node', 'spark1').status).toBe('running');

    const logs = await runOnNode(cluster, 'docker logs --tail 1 vllm_node');
    expect(logs.stdout).toContain('Application startup complete.');

    expect((await runOnNode(cluster, 'launch-cluster.sh stop')).status).toBe(0);
    expect(cluster.vllm.state).toBe('idle');
    expect(cluster.docker.list('spark1').some((c) => c.spec.name === 'vllm_node')).toBe(false);
  });

  it('in the foreground, stops the cluster when the session ends (the launcher exit trap)', async () => {
    const session = new AbortController();
    const running = runOnNode(cluster, 'launch-cluster.sh --solo exec vllm serve org/m', session);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cluster.vllm.state).toBe('loading');
    session.abort();
    await running;
    expect(cluster.vllm.state).toBe('idle');
  });

  it('refuses a missing image, and answers image inspect, rm -f and the weights listing', async () => {
    cluster.launcher.images.spark1!.delete('vllm-node');
    const refused = await runOnNode(cluster, 'launch-cluster.sh -d --solo exec vllm serve org/m');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/image vllm-node not found on spark1/);
    expect((await runOnNode(cluster, 'docker image inspect vllm-node')).status).toBe(1);
    expect((await runOnNode(cluster, 'docker image inspect vllm-node-mxfp4')).status).toBe(0);
    expect((await runOnNode(cluster, 'docker rm -f vllm_node')).stderr).toContain('No such container');

    cluster.modelStore.remove('spark1', 'org/gone');
    cluster.modelStore.add('spark1', 'org/here');
    expect(
      (await runOnNode(cluster, 'ls -1 .cache/huggingface/hub/models--org--gone/snapshots')).status,
    ).toBe(2);
    const present = await runOnNode(cluster, 'ls -1 .cache/huggingface/hub/models--org--here/snapshots');
    expect(present.status).toBe(0);
    expect(present.stdout.trim()).not.toBe('');
  });

  it('starts a model with docker run -d on the head node', async () => {
    const run = await runOnNode(
      cluster,
      'docker run -d --rm --name vllm_node --network host vllm-node vllm serve org/r',
    );
    expect(run.status).toBe(0);
    await cluster.vllm.waitUntilReady(5_000);
    expect(cluster.vllm.servedNames()).toEqual(['org/r']);
    const refused = await runOnNode(cluster, 'docker rm vllm_node');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('container is running');
    expect(refused.stdout).toBe('');
    expect(cluster.vllm.servedNames()).toEqual(['org/r']);
    const updated = await runOnNode(cluster, 'docker update --memory 8g vllm_node ghost');
    expect(updated.status).toBe(1);
    expect(updated.stdout).toBe('vllm_node\n');
    expect(updated.stderr).toContain('No such container: ghost');
    expect((await runOnNode(cluster, 'docker rm -f vllm_node')).status).toBe(0);
    expect(cluster.vllm.state).toBe('idle');
  });
});
