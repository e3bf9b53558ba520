import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateControllerKey } from '../../src/ssh/controller-key';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { postJson } from '../helpers/http';
import { startSshd, type Sshd } from '../helpers/sshd';

describe('re-pinning a real OpenSSH node over HTTP', () => {
  let dataDir: string;
  let sshd: Sshd;
  let gw: TestGateway;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-repin-'));
    // The operator installed the controller's key on the node before pointing the gateway at it.
    const key = loadOrCreateControllerKey(path.join(dataDir, 'ssh', 'id_ed25519'));
    sshd = await startSshd({ authorizedKeys: [key.publicKey] });
    gw = await startTestGateway({
      env: { DATA_DIR: dataDir },
      configure: (config) => ({ ...config, nodes: [...config.nodes, sshd.node('real1')] }),
    });
  });
  afterAll(async () => {
    await gw.close();
    await sshd.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a reinstalled node is refused until its new key is re-pinned with the expected fingerprint', async () => {
    const shell = gw.gateway.context.shells.get('real1')!;
    expect((await shell.run(['echo', 'hello'])).stdout).toBe('hello\n');
    const original = sshd.hostKeyFingerprint;

    await sshd.restart({ newHostKey: true });
    await expect(shell.run(['true'])).rejects.toMatchObject({ kind: 'host_key_changed' });

    const mismatch = await postJson(gw.baseUrl, '/api/ssh/known-hosts/real1/repin', {
      expected_fingerprint: original,
    });
    expect(mismatch.status).toBe(409);
    expect(mismatch.json).toMatchObject({ code: 'fingerprint_mismatch' });
    await expect(shell.run(['true'])).rejects.toMatchObject({ kind: 'host_key_changed' });

    const repinned = await postJson(gw.baseUrl, '/api/ssh/known-hosts/real1/repin', {
      expected_fingerprint: sshd.hostKeyFingerprint,
    });
    expect(repinned.status).toBe(200);
    expect(repinned.json).toMatchObject({
      node_id: 'real1',
      host: '127.0.0.1',
      key_type: 'ssh-ed25519',
      previous_fingerprint: original,
      fingerprint: sshd.hostKeyFingerprint,
    });
    expect((await shell.run(['echo', 'again'])).stdout).toBe('again\n');
  });

  test('a node that is down answers 503 to a re-pin', async () => {
    await sshd.stop();
    const response = await postJson(gw.baseUrl, '/api/ssh/known-hosts/real1/repin', {});
    expect(response.status).toBe(503);
    expect(response.json).toMatchObject({ code: 'node_unreachable' });
  });
});
