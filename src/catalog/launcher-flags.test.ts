import { describe, expect, test } from '@jest/globals';
import { deniedLauncherFlag, deniedVllmArg } from './launcher-flags';

describe('the vLLM flags a catalog entry may not pass', () => {
  test.each([
    '--host',
    '--port=8000',
    '--served-model-name',
    '--served_model_name',
    '-tp',
    '--tensor-parallel-size=2',
    '--distributed-executor-backend',
    '--nnodes',
    '--node-rank',
    '--master-addr',
    '--master-port',
    '--headless',
    '--max-model-len',
    '--max_model_len=4096',
    '--enable-auto-tool-choice',
    '--api-key',
  ])('%s is denied with a reason', (arg) => {
    expect(deniedVllmArg(arg)).toMatch(/is not allowed \(.+\)/);
  });

  test.each(['--chat-template', '--mamba-ssm-cache-dtype', 'float32', '/models/template.jinja', '--hostile'])(
    '%s is allowed',
    (arg) => {
      expect(deniedVllmArg(arg)).toBeNull();
    },
  );

  test('launcher flags come from an allow-list', () => {
    expect(deniedLauncherFlag('--earlyoom')).toBeNull();
    expect(deniedLauncherFlag('--mem-limit-gb=100')).toBeNull();
    expect(deniedLauncherFlag('--solo')).toMatch(/not an allowed launcher flag/);
    expect(deniedLauncherFlag('--name=evil')).toMatch(/not an allowed launcher flag/);
  });
});
