import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIV3 } from 'openapi-types';
import { listOperations, type OperationInfo } from '../../src/contract/operations';
import { DOMAINS, loadSpecs, type Domain, type Spec } from '../../src/contract/specs';

/** One HTTP request the tests send. */
export interface SampleRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | FormData | Buffer;
}

const ajv = new Ajv({ strict: false, allErrors: false });
addFormats(ajv as never);
ajv.addFormat('binary', true);

export function resolveRef<T>(spec: Spec, node: unknown): T {
  let current = node;
  for (let i = 0; i < 10 && current && typeof current === 'object' && '$ref' in current; i += 1) {
    current = (current as { $ref: string }).$ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (value, part) => (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')],
        spec,
      );
  }
  return current as T;
}

/** A JSON schema usable by Ajv outside the spec: every local $ref inlined. */
export function inlineSchema(spec: Spec, node: unknown, depth = 0): unknown {
  if (depth > 30) return {};
  if (Array.isArray(node)) return node.map((item) => inlineSchema(spec, item, depth + 1));
  if (node && typeof node === 'object') {
    if ('$ref' in node) return inlineSchema(spec, resolveRef(spec, node), depth + 1);
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === 'example' || key === 'examples' ? value : inlineSchema(spec, value, depth + 1),
      ]),
    );
  }
  return node;
}

export function isValid(spec: Spec, schema: unknown, value: unknown): boolean {
  return ajv.validate(inlineSchema(spec, schema) as object, value) as boolean;
}

function mediaExample(media: OpenAPIV3.MediaTypeObject | undefined): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0] as OpenAPIV3.ExampleObject | undefined;
  return first?.value;
}

const CANDIDATE_STRINGS = ['sample', 'spark1', 'a', '1', 'abc-123', 'x1'];

function parameterSample(spec: Spec, parameter: OpenAPIV3.ParameterObject): string {
  const schema = resolveRef<OpenAPIV3.SchemaObject>(spec, parameter.schema ?? {});
  const candidates = [
    parameter.example,
    schema.example,
    schema.enum?.[0],
    schema.default,
    ...CANDIDATE_STRINGS,
    1,
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === null) continue;
    const typed =
      schema.type === 'integer' || schema.type === 'number'
        ? Number(candidate)
        : schema.type === 'boolean'
          ? candidate === true || candidate === 'true'
          : String(candidate);
    if (isValid(spec, schema, typed)) return String(candidate);
  }
  throw new Error(`cannot find a valid sample for parameter ${parameter.name}`);
}

export function parameters(spec: Spec, operation: OperationInfo): OpenAPIV3.ParameterObject[] {
  const pathItem = spec.paths[operation.path] as OpenAPIV3.PathItemObject;
  return [...(pathItem.parameters ?? []), ...(operation.definition.parameters ?? [])].map((p) =>
    resolveRef<OpenAPIV3.ParameterObject>(spec, p),
  );
}

export function samplePath(
  spec: Spec,
  operation: OperationInfo,
  overrides: Record<string, string> = {},
): string {
  let path = operation.path;
  const query: string[] = [];
  for (const parameter of parameters(spec, operation)) {
    const value =
      overrides[parameter.name] ??
      (parameter.in === 'path' || parameter.required ? parameterSample(spec, parameter) : undefined);
    if (value === undefined) continue;
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(value));
    if (parameter.in === 'query')
      query.push(`${encodeURIComponent(parameter.name)}=${encodeURIComponent(value)}`);
  }
  return query.length > 0 ? `${path}?${query.join('&')}` : path;
}

export function requestBodySchema(
  spec: Spec,
  operation: OperationInfo,
  mediaType: string,
): OpenAPIV3.SchemaObject | undefined {
  const body = resolveRef<OpenAPIV3.RequestBodyObject | undefined>(spec, operation.definition.requestBody);
  const schema = body?.content[mediaType]?.schema;
  return schema ? resolveRef<OpenAPIV3.SchemaObject>(spec, schema) : undefined;
}

export function bodyExample(spec: Spec, operation: OperationInfo, mediaType: string): unknown {
  const body = resolveRef<OpenAPIV3.RequestBodyObject | undefined>(spec, operation.definition.requestBody);
  return mediaExample(body?.content[mediaType]);
}

/** A multipart body built from the spec example: file fields become small files, the rest text. */
export function sampleForm(spec: Spec, operation: OperationInfo, omit: string[] = []): FormData {
  const example = (bodyExample(spec, operation, 'multipart/form-data') ?? {}) as Record<string, unknown>;
  const form = new FormData();
  const names = new Set([...Object.keys(example), ...operation.requiredFileFields]);
  for (const name of names) {
    if (omit.includes(name)) continue;
    if (operation.fileFields.includes(name)) {
      form.append(
        name,
        new Blob([Buffer.from('RIFF....WAVEfmt sample audio bytes')], { type: 'audio/wav' }),
        `${name}.wav`,
      );
    } else if (example[name] !== undefined) {
      const value = example[name];
      for (const item of Array.isArray(value) ? value : [value]) {
        form.append(name, typeof item === 'string' ? item : JSON.stringify(item));
      }
    }
  }
  return form;
}

/** A request the contract accepts, built from the spec's own examples. */
export function validSample(spec: Spec, operation: OperationInfo): SampleRequest {
  const method = operation.method.toUpperCase();
  const path = samplePath(spec, operation);
  const label = `${operation.operationId} valid`;
  if (operation.bodyKind === 'json') {
    const example = bodyExample(spec, operation, 'application/json');
    return {
      label,
      method,
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(example ?? {}),
    };
  }
  if (operation.bodyKind === 'multipart')
    return { label, method, path, headers: {}, body: sampleForm(spec, operation) };
  if (operation.bodyKind === 'stream') {
    const mediaType = operation.requestMediaTypes[0]!;
    const example = bodyExample(spec, operation, mediaType);
    const body = typeof example === 'string' ? example : 'data: {}\n\n';
    return { label, method, path, headers: { 'content-type': mediaType }, body };
  }
  return { label, method, path, headers: {} };
}

export function allOperations(): { spec: Spec; operation: OperationInfo; domain: Domain }[] {
  const specs = loadSpecs();
  return DOMAINS.flatMap((domain) =>
    listOperations(domain, specs[domain]).map((operation) => ({ spec: specs[domain], operation, domain })),
  );
}
