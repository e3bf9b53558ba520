import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateControllerKey } from './controller-key';

describe('loadOrCreateControllerKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-key-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('generates once, then keeps the same key across starts', () => {
    const file = path.join(dir, 'ssh', 'id_ed25519');
    const first = loadOrCreateControllerKey(file);
    const again = loadOrCreateControllerKey(file);
    expect(again.publicKey).toBe(first.publicKey);
    expect(again.fingerprint).toBe(first.fingerprint);
    fs.rmSync(`${file}.pub`);
    expect(loadOrCreateControllerKey(file).publicKey).toBe(first.publicKey);
    expect(fs.readFileSync(`${file}.pub`, 'utf8')).toBe(`${first.publicKey}\n`);
  });

  test('the fingerprint is the one ssh-keygen prints', () => {
    const file = path.join(dir, 'id_ed25519');
    const key = loadOrCreateControllerKey(file);
    const printed = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' });
    expect(printed.split(' ')[1]).toBe(key.fingerprint);
  });

  test('an operator-provided ssh-keygen key is used as is; other key types and garbage are refused', () => {
    const file = path.join(dir, 'given');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ops@host', '-f', file]);
    const key = loadOrCreateControllerKey(file);
    expect(key.comment).toBe('ops@host');
    expect(`${key.publicKey}\n`).toBe(fs.readFileSync(`${file}.pub`, 'utf8'));

    const rsa = path.join(dir, 'rsa');
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', rsa]);
    expect(() => loadOrCreateControllerKey(rsa)).toThrow(/ssh-rsa; spark-control uses an ed25519 key/);

    const garbage = path.join(dir, 'garbage');
    fs.writeFileSync(garbage, 'not a key');
    expect(() => loadOrCreateControllerKey(garbage)).toThrow(/cannot be read/);
  });
});
