import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadCatalog } from '../../src/catalog/catalog';
import { specValidator } from '../helpers/spec-validator';

const modelsYaml = path.join(__dirname, '..', '..', 'models.yaml');

describe('the default model catalog (models.yaml)', () => {
  test('every entry is a valid CatalogModel of the control contract and loads without problems', async () => {
    const validator = await specValidator();
    const validate = validator.schema('control', '#/components/schemas/CatalogModel');
    const doc = YAML.parse(readFileSync(modelsYaml, 'utf8')) as { models: unknown[] };
    expect(doc.models.length).toBeGreaterThanOrEqual(3);
    for (const entry of doc.models) {
      const valid = validate(entry);
      expect({ entry: (entry as { id: string }).id, errors: valid ? [] : validate.errors }).toEqual({
        entry: (entry as { id: string }).id,
        errors: [],
      });
    }
    const catalog = loadCatalog(modelsYaml);
    expect(catalog.problems).toEqual([]);
    expect(catalog.servedNameFor('default')).toBe('qwen3-30b-a3b');
    expect(catalog.servedNameFor('coder')).toBe('qwen3-coder');
  });
});
