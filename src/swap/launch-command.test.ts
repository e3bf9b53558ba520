import { vllmServeSpec } from '../emulator/launcher';
import { launchArgv, weightsDirOf } from './launch-command';
import type { CatalogModel } from './types';

const context = { launcher: 'spark-vllm-docker/launch-cluster.sh', container: 'vllm_node', port: 8888 };

describe('the launcher call of a catalog model', () => {
  it('renders one detached solo launch with the gateway-owned flags and the entry options', () => {
    const model: CatalogModel = {
      id: 'qwen3-30b-a3b',
      display_name: 'Qwen3',
      hf_repo: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
      served_model_name: 'qwen3-30b-a3b',
      aliases: ['qwen3', 'default'],
      placement: { nodes: 1, backend: 'no-ray' },
      runtime: { image: 'vllm-node', mods: ['mods/fix-a'], env: { VLLM_FLAG: '1' } },
      vllm: {
        max_model_len: 65536,
        gpu_memory_utilization: 0.5,
        tool_call_parser: 'hermes',
        extra_args: ['--seed', '7'],
      },
    };
    const argv = launchArgv(model, context);
    expect(argv.slice(0, 11)).toEqual([
      'spark-vllm-docker/launch-cluster.sh',
      '-d',
      '--solo',
      '-t',
      'vllm-node',
      '--name',
      'vllm_node',
      '--apply-mod',
      'mods/fix-a',
      '-e',
      'VLLM_FLAG=1',
    ]);
    const serve = argv.slice(argv.indexOf('exec') + 1);
    expect(serve).toEqual([
      'vllm',
      'serve',
      'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
      '--served-model-name',
      'qwen3-30b-a3b',
      'qwen3',
      'default',
      '--host',
      '0.0.0.0',
      '--port',
      '8888',
      '--max-model-len',
      '65536',
      '--gpu-memory-utilization',
      '0.5',
      '--enable-auto-tool-choice',
      '--tool-call-parser',
      'hermes',
      '--seed',
      '7',
    ]);
    // The emulated launcher reads back exactly what the gateway meant.
    expect(vllmServeSpec(serve)).toEqual({
      servedName: 'qwen3-30b-a3b',
      aliases: ['qwen3', 'default'],
      root: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
      maxModelLen: 65536,
    });
  });

  it('spreads a two-node model with tensor parallelism and keeps hostile values as single arguments', () => {
    const model: CatalogModel = {
      id: 'big',
      display_name: 'Big',
      local_path: '/models/big',
      served_model_name: 'big',
      placement: { nodes: 2, backend: 'no-ray' },
      vllm: { extra_args: ['--chat-template', '$(reboot); `id`'] },
    };
    const argv = launchArgv(model, context);
    expect(argv).toContain('--no-ray');
    expect(argv).not.toContain('--solo');
    expect(
      argv.slice(argv.indexOf('--tensor-parallel-size'), argv.indexOf('--tensor-parallel-size') + 2),
    ).toEqual(['--tensor-parallel-size', '2']);
    expect(argv.at(-1)).toBe('$(reboot); `id`');
    expect(weightsDirOf(model)).toBe('/models/big');
  });

  it('finds HF weights in the cache snapshots directory', () => {
    const model = {
      id: 'x',
      display_name: 'x',
      hf_repo: 'org/name',
      served_model_name: 'x',
      placement: { nodes: 1, backend: 'no-ray' },
    } as CatalogModel;
    expect(weightsDirOf(model)).toBe('.cache/huggingface/hub/models--org--name/snapshots');
  });
});
