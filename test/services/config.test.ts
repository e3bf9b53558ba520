import path from 'node:path';
import { ConfigError } from '../../src/config/errors';
import { loadConfig } from '../../src/config/load-config';

describe('service control settings', () => {
  test('memory caps, the patch overlay and the health wait come from the environment', () => {
    const config = loadConfig({
      PARAKEET_MEMORY_LIMIT: '24G',
      QDRANT_MEMORY_LIMIT: '512m',
      SPEECH_PATCHES_DIR: '/srv/patches',
      SPEECH_PATCH_HEALTH_WAIT_S: '90',
    });
    expect(config.serviceControl).toEqual({
      speechPatchesDir: '/srv/patches',
      patchHealthWaitMs: 90_000,
      memoryLimits: { parakeet: '24g', qdrant: '512m' },
    });
    expect(loadConfig({}).serviceControl).toEqual({
      speechPatchesDir: path.resolve('patches/parakeet-asr'),
      patchHealthWaitMs: 300_000,
      memoryLimits: {},
    });
  });

  test('a memory cap that is not a docker size is named', () => {
    expect(() => loadConfig({ KOKORO_MEMORY_LIMIT: 'lots' })).toThrow(ConfigError);
    expect(() => loadConfig({ KOKORO_MEMORY_LIMIT: 'lots' })).toThrow(
      'KOKORO_MEMORY_LIMIT must be a docker memory size such as 24g or 512m (got "lots")',
    );
  });
});
