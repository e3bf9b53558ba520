import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../src/catalog/catalog';

function catalogFile(lines: string[]): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'sc-catalog-')), 'models.yaml');
  writeFileSync(file, lines.join('\n'));
  return file;
}

/** A valid entry with some fields replaced (JSON is YAML). */
const ok = (id: string, extra: Record<string, unknown> = {}) =>
  '  - ' +
  JSON.stringify({
    id,
    display_name: id,
    hf_repo: `org/${id}`,
    served_model_name: id,
    placement: { nodes: 1 },
    ...extra,
  });

describe('loading models.yaml', () => {
  test('bad entries are reported with file, entry and field, and skipped; the rest still loads', () => {
    const file = catalogFile([
      'schema_version: 1',
      'defaults: { image: vllm-node, load_timeout_s: 900 }',
      'models:',
      ok('good-one', { aliases: ['g'] }),
      '  - { id: "Bad Id", display_name: x, hf_repo: org/x, served_model_name: x, placement: { nodes: 1 } }',
      ok('spaced', { served_model_name: 'has space' }),
      '  - { id: no-weights, display_name: x, served_model_name: nw, placement: { nodes: 1 } }',
      '  - { id: both, display_name: x, hf_repo: org/b, local_path: /home/spark/models/b, served_model_name: both, placement: { nodes: 1 } }',
      '  - { id: relative, display_name: x, local_path: /etc/passwd, served_model_name: rel, placement: { nodes: 1 } }',
      ok('denied', { vllm: { extra_args: ['--chat-template', 't.jinja', '--port=9000'] } }),
      ok('three-nodes', { placement: { nodes: 3 } }),
      ok('unknown-field', { colour: 'blue' }),
      ok('too-big', { resources: { per_node_gib: 200 } }),
      ok('good-one'),
      ok('second', { aliases: ['g'] }),
      ok('local-ok', { hf_repo: null }),
      '  - { id: local-model, display_name: Local, local_path: /home/spark/models/mine, served_model_name: mine, placement: { nodes: 2 } }',
    ]);
    const catalog = loadCatalog(file);
    expect(catalog.entries.map((entry) => entry.id)).toEqual(['good-one', 'local-model']);
    const where = catalog.issues.map(({ file: f, entry, field }) => ({ f, entry, field }));
    expect(where).toEqual(
      expect.arrayContaining([
        { f: file, entry: 'models[1]', field: 'id' },
        { f: file, entry: 'spaced', field: 'served_model_name' },
        { f: file, entry: 'no-weights', field: 'hf_repo' },
        { f: file, entry: 'both', field: 'hf_repo' },
        { f: file, entry: 'relative', field: 'local_path' },
        { f: file, entry: 'denied', field: 'vllm.extra_args[2]' },
        { f: file, entry: 'three-nodes', field: 'placement.nodes' },
        { f: file, entry: 'unknown-field', field: 'colour' },
        { f: file, entry: 'too-big', field: 'resources.per_node_gib' },
        { f: file, entry: 'good-one', field: 'id' },
        { f: file, entry: 'second', field: 'aliases' },
        { f: file, entry: 'local-ok', field: 'hf_repo' },
      ]),
    );
    expect(catalog.problems).toContain(
      `${file}: model denied: vllm.extra_args[2] --port is not allowed (the gateway sets the port)`,
    );
    expect(catalog.problems).toContain(
      `${file}: model second: aliases "g" already names model good-one; the entry is skipped`,
    );
    // The skipped entry's names are not rewritten; the kept one's are, and file defaults are applied.
    expect(catalog.servedNameFor('g')).toBe('good-one');
    expect(catalog.servedNameFor('second')).toBeNull();
    const good = catalog.entry('good-one')!;
    expect(good.model.runtime?.image).toBe('vllm-node');
    expect(good.model.timing?.load_timeout_s).toBe(900);
    expect(good.model.placement).toEqual({ nodes: 1, backend: 'no-ray' });
    expect(catalog.entry('local-model')!.localPath).toBe('/home/spark/models/mine');
  });

  test('a missing file, a file that is not YAML, or an unknown schema version is an empty catalog with one problem', () => {
    const missing = loadCatalog('/nonexistent/models.yaml');
    expect(missing.entries).toEqual([]);
    expect(missing.problems).toEqual([
      '/nonexistent/models.yaml: does not exist; the model catalog is empty',
    ]);
    const broken = catalogFile(['models: [ {']);
    expect(loadCatalog(broken).problems[0]).toMatch(/is not valid YAML/);
    const future = catalogFile(['schema_version: 2', 'models: []']);
    expect(loadCatalog(future).problems).toEqual([
      `${future}: schema_version 2 is not supported (this build reads 1)`,
    ]);
  });

  test('bad defaults are named by field and ignored', () => {
    const file = catalogFile(['defaults: { image: "Not An Image", colour: red }', 'models:', ok('fine')]);
    const catalog = loadCatalog(file);
    expect(catalog.entries.map((entry) => entry.id)).toEqual(['fine']);
    expect(catalog.issues.map((issue) => issue.field)).toEqual(['defaults.image', 'defaults.colour']);
  });
});
