import { request } from 'undici';
import { startEmulatedCluster, type EmulatedCluster } from './cluster';
import { generateEd25519KeyPair } from '../ssh/ed25519';
import { isRefused, sshExec, type SshTarget } from './testing';

describe('the emulated cluster', () => {
  const key = generateEd25519KeyPair();
  const strangerKey = generateEd25519KeyPair();
  let cluster: EmulatedCluster;
  let spark1: SshTarget;
  let spark2: SshTarget;

  beforeAll(async () => {
    cluster = await startEmulatedCluster({ authorizedKeys: [key.public] });
    const target = (node: 'spark1' | 'spark2'): SshTarget => {
      const host = cluster.sshHosts[node];
      return {
        host: host.host,
        port: host.port,
        username: host.username,
        privateKey: key.private,
        hostPublicKey: host.hostPublicKey,
      };
    };
    spark1 = target('spark1');
    spark2 = target('spark2');
  });
  afterAll(() => cluster.stop());

  test('every service answers on loopback', async () => {
    const probes: [string, string][] = [
      [cluster.services.vllm.baseUrl, '/health'],
      [cluster.services.parakeet.baseUrl, '/health'],
      [cluster.services.kokoro.baseUrl, '/health'],
      [cluster.services.embed.baseUrl, '/health'],
      [cluster.services.qdrant.baseUrl, '/healthz'],
    ];
    for (const [baseUrl, path] of probes) {
      const res = await request(`${baseUrl}${path}`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    }
    const models = (await (await request(`${cluster.vllm.baseUrl}/v1/models`)).body.json()) as {
      data: { id: string; root: string }[];
    };
    expect(models.data[0]).toMatchObject({ id: 'qwen3-4b', root: 'Qwen/Qwen3-4B-Instruct-2507' });
    for (const service of Object.values(cluster.services)) expect(service.host).toBe('127.0.0.1');
  });

  test('ssh: plain system commands', async () => {
    expect(await sshExec(spark1, 'hostname')).toEqual({ code: 0, stdout: 'spark1-emulated\n', stderr: '' });
    expect(await sshExec(spark2, 'true')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await sshExec(spark2, "echo 'hello world'")).stdout).toBe('hello world\n');
    const meminfo = await sshExec(spark1, 'cat /proc/meminfo');
    const total = Number(/^MemTotal:\s+(\d+) kB$/m.exec(meminfo.stdout)?.[1]);
    const available = Number(/^MemAvailable:\s+(\d+) kB$/m.exec(meminfo.stdout)?.[1]);
    expect(total / 1024 / 1024).toBeCloseTo(121.7, 1);
    expect(available).toBeLessThan(total);
  });

  test('ssh: an unknown command exits 127 with "command not found"', async () => {
    const result = await sshExec(spark1, 'nvidia-smi --query-gpu=memory.used');
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('command not found');
  });

  test('ssh: a key that is not authorized is refused', async () => {
    await expect(sshExec({ ...spark1, privateKey: strangerKey.private }, 'true')).rejects.toThrow(
      /authentication/i,
    );
    await expect(sshExec({ ...spark1, username: 'root' }, 'true')).rejects.toThrow(/authentication/i);
  });

  test('docker ps shows the node’s containers', async () => {
    const ps = await sshExec(
      spark2,
      "docker ps --filter name=parakeet-asr --format '{{.Names}}|{{.State}}|{{.Status}}'",
    );
    expect(ps.code).toBe(0);
    expect(ps.stdout).toMatch(/^parakeet-asr\|running\|Up .+\n$/);
    const all = await sshExec(spark2, 'docker ps');
    expect(all.stdout.split('\n')[0]).toMatch(
      /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/,
    );
    for (const name of ['parakeet-asr', 'kokoro', 'spark-embed', 'qdrant'])
      expect(all.stdout).toContain(name);
    expect((await sshExec(spark1, 'docker ps --format {{.Names}}')).stdout).toBe('vllm_node\n');
    const logs = await sshExec(spark1, 'docker logs --tail 3 vllm_node');
    expect(logs.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(logs.stdout).toContain('Application startup complete.');
  });

  test('docker stop/start really stops and starts the emulated service', async () => {
    const stop = await sshExec(spark2, 'docker stop parakeet-asr');
    expect(stop).toEqual({ code: 0, stdout: 'parakeet-asr\n', stderr: '' });
    expect(await isRefused(cluster.parakeet.baseUrl, '/health')).toBe(true);
    expect(
      (await sshExec(spark2, "docker inspect -f '{{.State.Running}} {{.State.Status}}' parakeet-asr")).stdout,
    ).toBe('false exited\n');
    expect((await sshExec(spark2, 'docker ps --filter name=parakeet-asr -q')).stdout).toBe('');

    expect((await sshExec(spark2, 'docker start parakeet-asr')).code).toBe(0);
    const health = await request(`${cluster.parakeet.baseUrl}/health`);
    expect(await health.body.json()).toEqual({ status: 'ok' });

    cluster.parakeet.wedge();
    expect((await sshExec(spark2, 'docker restart parakeet-asr')).code).toBe(0);
    expect(cluster.parakeet.isWedged).toBe(false);
  });

  test('docker logs -f follows the log until the container stops', async () => {
    const following = sshExec(spark2, 'docker logs -f --tail 0 kokoro');
    // Leave the SSH session time to start following, even on a loaded CI machine.
    await new Promise((resolve) => setTimeout(resolve, 750));
    expect((await sshExec(spark2, 'docker stop kokoro')).code).toBe(0);
    expect(await following).toEqual({ code: 0, stdout: 'INFO:     Shutting down\n', stderr: '' });
    expect((await sshExec(spark2, 'docker start kokoro')).code).toBe(0);
  });

  test('docker on an unknown container or subcommand fails like docker', async () => {
    const missing = await sshExec(spark2, 'docker stop vllm_node');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error response from daemon: No such container: vllm_node\n');
    expect((await sshExec(spark2, 'docker frobnicate')).code).toBe(1);
  });

  test('docker stop vllm_node ends the model and removes the --rm container', async () => {
    expect((await sshExec(spark1, 'docker stop vllm_node')).code).toBe(0);
    expect(cluster.vllm.state).toBe('idle');
    expect(await isRefused(cluster.vllm.baseUrl, '/health')).toBe(true);
    expect((await sshExec(spark1, 'docker ps -a --format {{.Names}}')).stdout).toBe('');
  });
});

describe('startEmulatedCluster options', () => {
  test('an idle cluster has nothing on the vLLM port; stop() refuses everything', async () => {
    const cluster = await startEmulatedCluster({ initialModel: null });
    expect(cluster.vllm.state).toBe('idle');
    expect(await isRefused(cluster.vllm.baseUrl, '/health')).toBe(true);
    expect(await isRefused(cluster.qdrant.baseUrl, '/healthz')).toBe(false);
    await cluster.stop();
    for (const service of Object.values(cluster.services))
      expect(await isRefused(service.baseUrl)).toBe(true);
    await cluster.stop();
  });
});
