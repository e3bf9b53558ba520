import { describe, expect, test } from '@jest/globals';
import { ConfigError } from '../../src/config/errors';
import { loadConfig } from '../../src/config/load-config';

describe('redaction settings', () => {
  test('maps live 24 h unless REDACTION_MAP_TTL_HOURS says otherwise, up to 7 days', () => {
    expect(loadConfig({}).redaction.mapTtlMs).toBe(24 * 3_600_000);
    expect(loadConfig({ REDACTION_MAP_TTL_HOURS: '2.5' }).redaction.mapTtlMs).toBe(2.5 * 3_600_000);
    expect(loadConfig({ REDACTION_MAP_TTL_HOURS: '168' }).redaction.mapTtlMs).toBe(168 * 3_600_000);
    for (const bad of ['169', '0', '-1', 'a day']) {
      expect(() => loadConfig({ REDACTION_MAP_TTL_HOURS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ REDACTION_MAP_TTL_HOURS: bad })).toThrow(/REDACTION_MAP_TTL_HOURS/);
    }
  });

  test('the NER backstop waits 120 s unless REDACTION_NER_TIMEOUT_S says otherwise', () => {
    expect(loadConfig({}).redaction.nerTimeoutMs).toBe(120_000);
    expect(loadConfig({ REDACTION_NER_TIMEOUT_S: '15' }).redaction.nerTimeoutMs).toBe(15_000);
    expect(() => loadConfig({ REDACTION_NER_TIMEOUT_S: '0' })).toThrow(/REDACTION_NER_TIMEOUT_S/);
  });
});
