import { legacySettingsPatch } from './legacy-settings';

describe("the previous product's app_settings.json", () => {
  it('takes over its knobs, converting the string values environment variables have', () => {
    const { patch, skipped } = legacySettingsPatch({
      VLLM_PORT: '8000',
      PARAKEET_CONTAINER: 'parakeet-asr',
      DISABLED_SERVICES: 'qdrant, Kokoro',
      DEEP_HEALTH_ENABLED: 'false',
      HEALTH_POLL_INTERVAL_S: '1.5',
      swap_webhook_url: 'http://n8n.startos:5678/webhook/spark-swap',
      SWAP_WEBHOOK_SECRET: 'whsec_1',
      AUTO_ROLLBACK: true,
      NVIDIA_API_KEY: 'nvapi-x',
      KOKORO_PORT: '',
    });
    expect(patch).toEqual({
      VLLM_PORT: 8000,
      PARAKEET_CONTAINER: 'parakeet-asr',
      DISABLED_SERVICES: ['qdrant', 'kokoro'],
      DEEP_HEALTH_ENABLED: false,
      HEALTH_POLL_INTERVAL_S: 1.5,
      swap_webhook_url: 'http://n8n.startos:5678/webhook/spark-swap',
      swap_webhook_secret: 'whsec_1',
      auto_rollback: true,
    });
    expect(skipped).toEqual(['NVIDIA_API_KEY: not a setting of this version']);
  });

  it('leaves out values that are out of range or malformed, naming them', () => {
    const { patch, skipped } = legacySettingsPatch({
      VLLM_PORT: '70000',
      VLLM_CONTAINER: 'bad name; rm -rf /',
      DEEP_HEALTH_INTERVAL_S: '10',
      DISABLED_SERVICES: 'qdrant,nginx',
      swap_webhook_url: 'ftp://example.org',
    });
    expect(patch).toEqual({});
    expect(skipped).toHaveLength(5);
    expect(legacySettingsPatch(['not', 'an', 'object']).skipped).toEqual(['the file is not a JSON object']);
  });
});
