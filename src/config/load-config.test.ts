import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './errors';
import { loadConfig } from './load-config';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  test('no nodes configured means the emulated cluster', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('emulated');
    expect(config.bindPort).toBe(9999);
    expect(config.services.vllm.port).toBe(8888);
  });

  test("the previous product's variables keep working", () => {
    const config = loadConfig({
      SPARK1_HOST: '192.168.1.10',
      SPARK1_USER: 'grant',
      SPARK2_HOST: '192.168.1.11',
      SPARK2_USER: 'grant',
      BIND_PORT: '9000',
      VLLM_PORT: '8000',
      VLLM_CONTAINER: 'my_vllm',
      DISABLED_SERVICES: 'qdrant, magpie',
      MODELS_YAML: '/etc/models.yaml',
      SSH_KEY_PATH: '/data/ssh/key',
    });
    expect(config.mode).toBe('cluster');
    expect(config.nodes.map((n) => [n.id, n.host, n.user])).toEqual([
      ['spark1', '192.168.1.10', 'grant'],
      ['spark2', '192.168.1.11', 'grant'],
    ]);
    expect(config.bindPort).toBe(9000);
    expect(config.services.vllm).toMatchObject({
      host: '192.168.1.10',
      port: 8000,
      container: 'my_vllm',
      disabled: false,
    });
    expect(config.services.parakeet).toMatchObject({ host: '192.168.1.11', port: 8000, disabled: false });
    expect(config.services.qdrant.disabled).toBe(true);
    expect(config.services.kokoro.disabled).toBe(true);
    expect(config.modelsYaml).toBe('/etc/models.yaml');
    expect(config.sshKeyPath).toBe('/data/ssh/key');
  });

  test('blank numbers mean the default', () => {
    expect(loadConfig({ BIND_PORT: '', VLLM_PORT: '  ' }).bindPort).toBe(9999);
  });

  test('every problem is reported at once, in plain words', () => {
    expect(
      problems({
        SPARK1_HOST: '192.168.1.10',
        BIND_PORT: 'ninety',
        VLLM_PORT: '70000',
        DISABLED_SERVICES: 'whisperx',
      }),
    ).toEqual([
      'SPARK1_USER is required when SPARK1_HOST is set',
      'DISABLED_SERVICES names an unknown service "whisperx" (known: vllm, parakeet, kokoro, embed, qdrant)',
      'VLLM_PORT must be a port number between 1 and 65535 (got "70000")',
      'BIND_PORT must be a port number between 1 and 65535 (got "ninety")',
    ]);
    expect(problems({ SPARK1_HOST: 'bad host!', SPARK1_USER: 'grant' })[0]).toContain(
      'SPARK1_HOST must be an IPv4 address or host name',
    );
  });

  test('a config file describes any inventory; its mistakes are named', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sc-config-'));
    const file = path.join(dir, 'config.yaml');
    writeFileSync(
      file,
      [
        'nodes:',
        '  - { id: head, host: 10.0.0.5, user: ops, roles: [head, llm] }',
        '  - { id: speech, host: 10.0.0.6, user: ops, roles: [speech] }',
        'services:',
        '  vllm: { node: head, port: 8001 }',
        '  parakeet: { node: speech }',
        '  kokoro: { node: speech }',
        '  embed: { node: speech }',
        '  qdrant: { node: speech, disabled: true }',
      ].join('\n'),
    );
    const config = loadConfig({ CONFIG_FILE: file });
    expect(config.nodes.map((n) => n.id)).toEqual(['head', 'speech']);
    expect(config.services.vllm).toMatchObject({ host: '10.0.0.5', port: 8001 });
    expect(config.services.parakeet.host).toBe('10.0.0.6');
    expect(config.services.qdrant.disabled).toBe(true);

    writeFileSync(
      file,
      'nodes:\n  - { id: head, host: 10.0.0.5 }\nservices:\n  vllm: { node: nowhere }\n  whisper: {}\n',
    );
    expect(problems({ CONFIG_FILE: file })).toEqual([
      'nodes[0].user is required',
      'services.whisper is not a known service (known: vllm, parakeet, kokoro, embed, qdrant)',
    ]);
    expect(problems({ CONFIG_FILE: path.join(dir, 'missing.yaml') })).toEqual([
      `CONFIG_FILE ${path.join(dir, 'missing.yaml')} does not exist`,
    ]);
  });
});
