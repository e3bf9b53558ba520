import fs from 'node:fs';
import path from 'node:path';
import { SshHost } from '../../src/emulator';
import { SshError } from '../../src/ssh/node-shell';
import { call, postJson } from '../helpers/http';
import { startTestGateway, type TestGateway } from '../helpers/gateway';

describe('SSH against the emulated nodes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  const shell = (node: string) => {
    const found = gw.gateway.context.shells.get(node);
    if (!found) throw new Error(`no shell for ${node}`);
    return found;
  };

  test('the controller key is generated on first start, private 0600 in a 0700 directory, and served', async () => {
    const keyFile = path.join(gw.dataDir, 'ssh', 'id_ed25519');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(keyFile)).mode & 0o777).toBe(0o700);
    const publicLine = fs.readFileSync(`${keyFile}.pub`, 'utf8').trim();
    expect(publicLine).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ spark-control$/);

    const json = await call(gw.baseUrl, '/api/ssh/public-key');
    expect(json.status).toBe(200);
    expect(json.json).toMatchObject({
      public_key: publicLine,
      type: 'ssh-ed25519',
      comment: 'spark-control',
    });
    expect((json.json as { fingerprint: string }).fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    const text = await call(gw.baseUrl, '/api/ssh/public-key', { headers: { accept: 'text/plain' } });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toContain('text/plain');
    expect(text.text).toBe(`${publicLine}\n`);
  });

  test('commands run over SSH on the right node, output streams as it comes', async () => {
    const result = await shell('spark2').run(['docker', 'ps', '--format', '{{.Names}}']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      'parakeet-asr',
      'kokoro',
      'spark-embed',
      'qdrant',
    ]);
    const chunks: string[] = [];
    const host = await shell('spark1').run(['hostname'], { onStdout: (c) => chunks.push(c) });
    expect(host.stdout).toBe('spark1-emulated\n');
    expect(chunks.join('')).toBe('spark1-emulated\n');
    const missing = await shell('spark1').run(['no-such-program', "it's; $(reboot)"]);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain('no-such-program: command not found');
  });

  test('many commands share one connection without tripping the session limit', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => shell('spark2').run(['hostname'])));
    expect(results.every((r) => r.stdout === 'spark2-emulated\n')).toBe(true);
  });

  test('host keys are pinned on first use; a changed key is refused until re-pinned over HTTP', async () => {
    await shell('spark1').run(['true']);
    const pinned = gw.gateway.context.ssh.hostKeys.get('spark1');
    expect(pinned?.publicKey).toBe(gw.cluster.sshHosts.spark1.hostPublicKey.split(' ')[1]);

    // The node is "reinstalled": same address, new host key.
    const old = gw.cluster.sshHosts.spark1;
    const port = old.port;
    await old.stop();
    const reinstalled = new SshHost({
      name: 'spark1',
      username: old.username,
      port,
      commands: gw.cluster.commands.spark1,
      authorizedKeys: [gw.gateway.context.ssh.key.publicKey],
    });
    await reinstalled.start();
    try {
      const refused = shell('spark1').run(['true']);
      await expect(refused).rejects.toBeInstanceOf(SshError);
      await expect(refused).rejects.toMatchObject({ kind: 'host_key_changed' });
      await expect(refused).rejects.toThrow(pinned!.fingerprint);

      const wrong = await postJson(gw.baseUrl, '/api/ssh/known-hosts/spark1/repin', {
        expected_fingerprint: pinned!.fingerprint,
      });
      expect(wrong.status).toBe(409);
      expect(wrong.json).toMatchObject({ code: 'fingerprint_mismatch' });

      const repinned = await postJson(gw.baseUrl, '/api/ssh/known-hosts/spark1/repin', {});
      expect(repinned.status).toBe(200);
      expect(repinned.json).toMatchObject({
        node_id: 'spark1',
        key_type: 'ssh-ed25519',
        previous_fingerprint: pinned!.fingerprint,
      });
      expect((await shell('spark1').run(['hostname'])).stdout).toBe('spark1-emulated\n');
    } finally {
      await reinstalled.stop();
    }
  });

  test('re-pinning an unknown node is a 404', async () => {
    const response = await postJson(gw.baseUrl, '/api/ssh/known-hosts/spark9/repin', {});
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({ code: 'node_not_found' });
  });
});
