import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';

export const DOMAINS = ['control', 'llm', 'audio', 'embeddings', 'redaction'] as const;
export type Domain = (typeof DOMAINS)[number];

export type Spec = OpenAPIV3.Document;

/** Follows local `$ref`s (`#/components/...`) inside a bundled spec to the node they name. */
export function resolve<T>(spec: Spec, node: T | OpenAPIV3.ReferenceObject | undefined): T | undefined {
  let current: unknown = node;
  for (let depth = 0; depth < 10 && current && typeof current === 'object' && '$ref' in current; depth += 1) {
    current = (current as OpenAPIV3.ReferenceObject).$ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (value, part) =>
          (value as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
        spec,
      );
  }
  return current as T | undefined;
}

/** The project root: the nearest folder above this file that holds generated/ and package.json. */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    if (existsSync(path.join(dir, 'generated')) && existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(
    'cannot find the spark-control project root (no generated/ folder above ' + __dirname + ')',
  );
}

/** The bundled spec of a domain as written by `npm run generate`. */
export function loadSpec(domain: Domain): Spec {
  const file = path.join(projectRoot(), 'generated', `${domain}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Spec;
}

export function loadSpecs(): Record<Domain, Spec> {
  return Object.fromEntries(DOMAINS.map((domain) => [domain, loadSpec(domain)])) as Record<Domain, Spec>;
}
