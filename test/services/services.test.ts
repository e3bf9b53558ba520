import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { call, postJson } from '../helpers/http';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { waitFor } from '../helpers/wait';

interface Service {
  name: string;
  status: string;
  ready: boolean;
  container_state: string;
  model: string | null;
  detail: string | null;
}

/** Whether anything accepts TCP connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('support services over SSH (emulated cluster)', () => {
  let gw: TestGateway;
  let patches: string;

  beforeAll(async () => {
    patches = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-patches-'));
    gw = await startTestGateway({
      env: { SPEECH_PATCHES_DIR: patches, SPEECH_PATCH_HEALTH_WAIT_S: '3', PARAKEET_MEMORY_LIMIT: '24g' },
    });
  });
  afterAll(async () => {
    await gw.close();
    fs.rmSync(patches, { recursive: true, force: true });
  });

  const services = async () => {
    const response = await call(gw.baseUrl, '/api/services');
    expect(response.status).toBe(200);
    return (response.json as { services: Service[] }).services;
  };

  test('every support service is listed with its docker state, health and model', async () => {
    const listed = await services();
    expect(listed.map((s) => [s.name, s.status, s.container_state, s.ready])).toEqual([
      ['parakeet', 'healthy', 'running', true],
      ['kokoro', 'healthy', 'running', true],
      ['embed', 'healthy', 'running', true],
      ['qdrant', 'healthy', 'running', true],
    ]);
    expect(listed.find((s) => s.name === 'embed')?.model).toBe('BAAI/bge-m3');
  });

  test('stopping parakeet really refuses its port; starting it brings it back', async () => {
    const port = gw.cluster.parakeet.port;
    const stopped = await postJson(gw.baseUrl, '/api/services/parakeet/stop', {});
    expect(stopped.status).toBe(200);
    expect(stopped.json).toMatchObject({
      service: 'parakeet',
      action: 'stop',
      ok: true,
      node: 'spark2',
      container: 'parakeet-asr',
      container_state: 'exited',
    });
    expect(await accepts(port)).toBe(false);
    const down = (await services()).find((s) => s.name === 'parakeet')!;
    expect(down).toMatchObject({ status: 'unhealthy', ready: false, container_state: 'exited' });
    expect(down.detail).toContain('connection refused');

    const started = await postJson(gw.baseUrl, '/api/services/parakeet/start', {});
    expect(started.json).toMatchObject({ ok: true, container_state: 'running' });
    expect((started.json as { message: string }).message).toContain('Memory cap 24g applied');
    expect(gw.cluster.containerExec.memoryLimitOf('spark2', 'parakeet-asr')).toBe(24 * 1024 ** 3);
    await waitFor(() => gw.cluster.parakeet.isUp, 'parakeet to serve again');
    expect(await accepts(port)).toBe(true);
  });

  test('restart cycles the container; a slow boot shows as starting', async () => {
    const restarted = await postJson(gw.baseUrl, '/api/services/kokoro/restart', {});
    expect(restarted.json).toMatchObject({
      service: 'kokoro',
      action: 'restart',
      ok: true,
      container_state: 'running',
    });
    expect((await services()).find((s) => s.name === 'kokoro')?.status).toBe('healthy');

    gw.cluster.docker.find('qdrant', 'spark2').spec.bootDelayMs = 60_000;
    try {
      await postJson(gw.baseUrl, '/api/services/qdrant/restart', {});
      const qdrant = (await services()).find((s) => s.name === 'qdrant')!;
      expect(qdrant).toMatchObject({ status: 'starting', ready: false, container_state: 'running' });
    } finally {
      gw.cluster.docker.find('qdrant', 'spark2').spec.bootDelayMs = 0;
      await postJson(gw.baseUrl, '/api/services/qdrant/restart', {});
    }
  });

  test('a docker inspect that answers garbage after an action is a 502 from the catalogue', async () => {
    const cli = gw.cluster.dockerCli.spark2;
    const inspect = cli.subcommand('inspect')!;
    cli.register('inspect', (_args, io) => {
      io.stdout('not json\n');
      return 0;
    });
    try {
      const restarted = await postJson(gw.baseUrl, '/api/services/kokoro/restart', {});
      expect(restarted.status).toBe(502);
      expect(restarted.json).toMatchObject({ code: 'node_command_failed' });
    } finally {
      cli.register('inspect', inspect);
    }
  });

  test('a second action on the same service while one runs is refused with 409', async () => {
    const slowStop = gw.cluster.embed.down.bind(gw.cluster.embed);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    gw.cluster.embed.down = async () => {
      await gate;
      await slowStop();
    };
    try {
      const first = postJson(gw.baseUrl, '/api/services/embed/stop', {});
      await waitFor(
        () => gw.cluster.docker.find('spark-embed', 'spark2').status === 'exited',
        'the stop to begin',
      );
      const second = await postJson(gw.baseUrl, '/api/services/embed/start', {});
      expect(second.status).toBe(409);
      expect(second.json).toMatchObject({ code: 'service_action_in_progress' });
      release();
      expect((await first).json).toMatchObject({ ok: true, container_state: 'exited' });
    } finally {
      gw.cluster.embed.down = slowStop;
      release();
      await postJson(gw.baseUrl, '/api/services/embed/start', {});
    }
  });

  test('with an empty overlay directory nothing is copied or restarted', async () => {
    const response = await postJson(gw.baseUrl, '/api/speech/patches/reapply', {});
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ ok: false, files: [], restarted: false, healthy: true });
  });

  test('when the copy into the container fails, nothing is restarted and the cause is named', async () => {
    fs.writeFileSync(path.join(patches, 'main.py'), '# patched\n');
    expect((await postJson(gw.baseUrl, '/api/services/parakeet/stop', {})).status).toBe(200);
    try {
      const response = await postJson(gw.baseUrl, '/api/speech/patches/reapply', {});
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ ok: false, files: [], restarted: false, healthy: false });
      expect((response.json as { message: string }).message).toMatch(
        /could not be copied into parakeet-asr on spark2 \(.+\); it was not restarted/,
      );
      expect(gw.cluster.docker.find('parakeet-asr', 'spark2').status).toBe('exited');
    } finally {
      fs.rmSync(path.join(patches, 'main.py'));
      await postJson(gw.baseUrl, '/api/services/parakeet/start', {});
    }
  });

  test('patches are copied into the running container over SSH, parakeet restarts and answers', async () => {
    const mainPy = Buffer.from('# patched main\nprint("hi")\n');
    const diarizer = Buffer.alloc(3000, 'd');
    fs.writeFileSync(path.join(patches, 'main.py'), mainPy);
    fs.mkdirSync(path.join(patches, 'nemo'));
    fs.writeFileSync(path.join(patches, 'nemo', 'diarizer.py'), diarizer);
    const before = gw.cluster.docker.find('parakeet-asr', 'spark2').startedAt.getTime();

    const response = await postJson(gw.baseUrl, '/api/speech/patches/reapply', {});
    expect(response.status).toBe(200);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(response.json).toMatchObject({
      ok: true,
      service: 'parakeet',
      node: 'spark2',
      container: 'parakeet-asr',
      restarted: true,
      healthy: true,
      files: [
        { path: '/app/main.py', bytes: mainPy.length, sha256: sha(mainPy) },
        { path: '/app/nemo/diarizer.py', bytes: 3000, sha256: sha(diarizer) },
      ],
    });
    const inside = gw.cluster.containerExec.filesOf('spark2', 'parakeet-asr');
    expect(inside.get('/app/main.py')).toEqual(mainPy);
    expect(inside.get('/app/nemo/diarizer.py')).toEqual(diarizer);
    expect(gw.cluster.docker.find('parakeet-asr', 'spark2').startedAt.getTime()).toBeGreaterThanOrEqual(
      before,
    );
  });

  test('a container that does not come back healthy is reported, not hidden', async () => {
    const parakeet = gw.cluster.docker.find('parakeet-asr', 'spark2');
    parakeet.spec.bootDelayMs = 60_000;
    try {
      const response = await postJson(gw.baseUrl, '/api/speech/patches/reapply', {});
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ ok: false, restarted: true, healthy: false });
      expect((response.json as { message: string }).message).toContain('did not answer its health check');
    } finally {
      parakeet.spec.bootDelayMs = 0;
      await postJson(gw.baseUrl, '/api/services/parakeet/restart', {});
    }
  });

  test('an unreachable speech node is a 503 naming the node', async () => {
    await gw.cluster.sshHosts.spark2.stop();
    try {
      const response = await postJson(gw.baseUrl, '/api/services/kokoro/restart', {});
      expect(response.status).toBe(503);
      expect(response.json).toMatchObject({ code: 'node_unreachable' });
      expect((response.json as { detail: string }).detail).toContain('spark2');
      const listed = await services();
      expect(listed.find((s) => s.name === 'kokoro')).toMatchObject({
        status: 'healthy',
        container_state: 'unknown',
      });
    } finally {
      await gw.cluster.sshHosts.spark2.start();
    }
  });
});

describe('disabled services', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      configure: (config) => ({
        ...config,
        services: { ...config.services, qdrant: { ...config.services.qdrant, disabled: true } },
      }),
    });
  });
  afterAll(async () => gw.close());

  test('are left out unless asked for, and cannot be controlled', async () => {
    const listed = await call(gw.baseUrl, '/api/services');
    expect((listed.json as { services: Service[] }).services.map((s) => s.name)).toEqual([
      'parakeet',
      'kokoro',
      'embed',
    ]);
    const all = await call(gw.baseUrl, '/api/services?include_disabled=true');
    expect((all.json as { services: Service[] }).services.find((s) => s.name === 'qdrant')).toMatchObject({
      status: 'disabled',
      ready: false,
    });
    const refused = await postJson(gw.baseUrl, '/api/services/qdrant/restart', {});
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ code: 'service_disabled' });
    const vllm = await postJson(gw.baseUrl, '/api/services/vllm/restart', {});
    expect(vllm.status).toBe(400);
  });
});
