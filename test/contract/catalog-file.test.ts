import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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

  test('bad entries are reported with file, entry and field, and skipped; the rest still loads', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sc-catalog-')), 'models.yaml');
    writeFileSync(
      file,
      [
        'models:',
        '  - { id: good-one, served_model_name: good, aliases: [g] }',
        '  - { id: "Bad Id", served_model_name: x }',
        '  - { id: spaced, served_model_name: "has space" }',
        '  - { id: bad-repo, hf_repo: "not a repo" }',
        '  - { id: good-one, served_model_name: again }',
        '  - { id: second, served_model_name: second, aliases: [g] }',
      ].join('\n'),
    );
    const catalog = loadCatalog(file);
    expect(catalog.entries.map((entry) => entry.id)).toEqual(['good-one', 'second']);
    expect(catalog.problems).toEqual([
      `${file}: models[1].id must be a lower-case slug (got "Bad Id")`,
      `${file}: model spaced: served_model_name must be a name without spaces`,
      `${file}: model bad-repo: hf_repo must look like org/name`,
      `${file}: model good-one is defined twice; the second is skipped`,
      `${file}: name "g" stands for both good and second; it is not rewritten`,
    ]);
    expect(catalog.servedNameFor('good-one')).toBe('good');
    expect(catalog.servedNameFor('g')).toBeNull();
  });
});
