import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateControllerKey } from '../../src/ssh/controller-key';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call, postJson } from '../helpers/http';
import { startSshd, type Sshd } from '../helpers/sshd';

/**
 * A `docker` stand-in for the speech node: records each call, keeps container states in files and
 * runs a real `tar -x` for `docker exec -i <c> tar -x -C <dir>` (into a directory of its own).
 */
const FAKE_DOCKER = `#!/bin/sh
state="$DOCKER_STATE"
printf '%s\\n' "$*" >> "$state/calls"
cmd="$1"; shift
if [ -e "$state/fail" ] && [ "$cmd" != inspect ]; then
  echo "Error response from daemon: No such container: $1" >&2
  exit 1
fi
case "$cmd" in
  inspect)
    shift 2
    printf '['; sep=''
    for name in "$@"; do
      status=$(cat "$state/$name" 2>/dev/null || echo running)
      printf '%s{"Name":"/%s","RestartCount":2,"State":{"Status":"%s","StartedAt":"2026-01-01T00:00:00Z"}}' "$sep" "$name" "$status"
      sep=','
    done
    printf ']\\n' ;;
  start|restart) echo running > "$state/$1"; echo "$1" ;;
  stop) echo exited > "$state/$1"; echo "$1" ;;
  exec)
    shift; name="$1"; shift
    [ "$1" = tar ] || { echo "unexpected exec: $*" >&2; exit 1; }
    mkdir -p "$state/fs$4" && tar -x -C "$state/fs$4" ;;
  *) echo "docker: '$cmd' is not a docker command." >&2; exit 1 ;;
esac
`;

describe('service control through a real OpenSSH server', () => {
  let work: string;
  let state: string;
  let patches: string;
  let sshd: Sshd;
  let gw: TestGateway;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-svc-ssh-'));
    const dataDir = path.join(work, 'data');
    state = path.join(work, 'docker-state');
    patches = path.join(work, 'patches');
    const scripts = path.join(work, 'bin');
    for (const dir of [state, patches, scripts]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(scripts, 'docker'), FAKE_DOCKER, { mode: 0o755 });
    const key = loadOrCreateControllerKey(path.join(dataDir, 'ssh', 'id_ed25519'));
    sshd = await startSshd({
      authorizedKeys: [key.publicKey],
      scriptsDir: scripts,
      env: { DOCKER_STATE: state },
    });
    gw = await startTestGateway({
      env: { DATA_DIR: dataDir, SPEECH_PATCHES_DIR: patches, SPEECH_PATCH_HEALTH_WAIT_S: '5' },
      configure: (config) => ({
        ...config,
        nodes: config.nodes.map((node) => (node.id === 'spark2' ? sshd.node('spark2') : node)),
      }),
    });
  });
  afterAll(async () => {
    await gw.close();
    await sshd.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const calls = () => fs.readFileSync(path.join(state, 'calls'), 'utf8').trim().split('\n');

  test('stop and start run docker on the node and report its state', async () => {
    const stopped = await postJson(gw.baseUrl, '/api/services/parakeet/stop', {});
    expect(stopped.json).toMatchObject({ ok: true, container_state: 'exited', node: 'spark2' });
    expect(calls()).toContain('stop parakeet-asr');
    const listed = await call(gw.baseUrl, '/api/services');
    const parakeet = (listed.json as { services: { name: string }[] }).services.find(
      (s) => s.name === 'parakeet',
    );
    expect(parakeet).toMatchObject({ container_state: 'exited', restart_count: 2 });

    const started = await postJson(gw.baseUrl, '/api/services/parakeet/start', {});
    expect(started.json).toMatchObject({ ok: true, container_state: 'running' });
  });

  test('the patch overlay arrives byte for byte through real tar, then the container restarts', async () => {
    const mainPy = Buffer.from("# it's patched; $(not run) `nor this`\n");
    fs.writeFileSync(path.join(patches, 'main.py'), mainPy);
    fs.mkdirSync(path.join(patches, 'models'));
    fs.writeFileSync(path.join(patches, 'models', 'diarizer.py'), Buffer.alloc(70_000, 'z'));

    const response = await postJson(gw.baseUrl, '/api/speech/patches/reapply', {});
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ ok: true, restarted: true, healthy: true });
    expect(fs.readFileSync(path.join(state, 'fs', 'app', 'main.py'))).toEqual(mainPy);
    expect(fs.readFileSync(path.join(state, 'fs', 'app', 'models', 'diarizer.py'))).toEqual(
      Buffer.alloc(70_000, 'z'),
    );
    expect(calls().slice(-2)).toEqual(['exec -i parakeet-asr tar -x -C /app', 'restart parakeet-asr']);
  });

  test("docker's own failure is reported as ok: false with its message", async () => {
    fs.writeFileSync(path.join(state, 'fail'), '');
    try {
      const response = await postJson(gw.baseUrl, '/api/services/kokoro/restart', {});
      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ ok: false, service: 'kokoro', action: 'restart' });
      expect((response.json as { message: string }).message).toBe(
        'docker restart kokoro failed on spark2: Error response from daemon: No such container: kokoro',
      );
    } finally {
      fs.rmSync(path.join(state, 'fail'));
    }
  });
});
