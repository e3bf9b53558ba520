import type { OpenAPIV3 } from 'openapi-types';
import type { OperationInfo } from '../../src/contract/operations';
import type { Spec } from '../../src/contract/specs';
import {
  bodyExample,
  isValid,
  parameters,
  requestBodySchema,
  resolveRef,
  sampleForm,
  samplePath,
  type SampleRequest,
} from './request-samples';

const WRONG_VALUES: unknown[] = [
  12345,
  'not-the-right-type',
  true,
  { unexpected: 'object' },
  ['unexpected', 'array'],
  null,
];
const HUGE_LIMIT = 2 * 1024 * 1024;
const MiB = 1024 * 1024;

type Mutation = { label: string; apply: (root: unknown) => unknown };

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  const copy = clone(root);
  if (path.length === 0) return value;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

/** Walks the example beside its schema and proposes missing-field, wrong-type and too-long mutations. */
function mutations(
  spec: Spec,
  schemaNode: unknown,
  example: unknown,
  path: (string | number)[],
  depth: number,
  out: Mutation[],
): void {
  if (depth > 4) return;
  const schema = resolveRef<OpenAPIV3.SchemaObject>(spec, schemaNode);
  if (!schema || schema.oneOf || schema.anyOf) return;
  const where = path.length ? path.join('.') : 'body';
  if (schema.type === 'object' || schema.properties) {
    if (!example || typeof example !== 'object' || Array.isArray(example)) return;
    for (const required of schema.required ?? []) {
      out.push({
        label: `missing ${[...path, required].join('.')}`,
        apply: (root) => setAt(root, [...path, required], undefined, true),
      });
    }
    for (const [name, propertySchema] of Object.entries(schema.properties ?? {})) {
      const property = resolveRef<OpenAPIV3.SchemaObject>(spec, propertySchema);
      const at = [...path, name];
      for (const wrong of WRONG_VALUES) {
        out.push({
          label: `wrong type ${at.join('.')}=${JSON.stringify(wrong)}`,
          apply: (root) => setAt(root, at, wrong),
        });
      }
      if (
        property?.type === 'string' &&
        typeof property.maxLength === 'number' &&
        property.maxLength < HUGE_LIMIT
      ) {
        out.push({
          label: `too long ${at.join('.')}`,
          apply: (root) => setAt(root, at, 'x'.repeat(property.maxLength! + 1)),
        });
      }
      const value = (example as Record<string, unknown>)[name];
      if (value !== undefined) mutations(spec, propertySchema, value, at, depth + 1, out);
    }
  } else if (schema.type === 'array' && Array.isArray(example) && example.length > 0) {
    mutations(spec, schema.items, example[0], [...path, 0], depth + 1, out);
    if (typeof schema.maxItems === 'number' && schema.maxItems < 20_000) {
      out.push({
        label: `too many items ${where}`,
        apply: (root) =>
          setAt(
            root,
            path,
            Array.from({ length: schema.maxItems! + 1 }, () => example[0]),
          ),
      });
    }
  }
}

/** Requests the spec says are invalid for this operation; each must get a 4xx, never a 5xx. */
export function badRequests(spec: Spec, operation: OperationInfo, bodyLimit: number): SampleRequest[] {
  const method = operation.method.toUpperCase();
  const id = operation.operationId;
  const requests: SampleRequest[] = [];
  const path = () => samplePath(spec, operation);

  for (const parameter of parameters(spec, operation)) {
    const schema = resolveRef<OpenAPIV3.SchemaObject>(spec, parameter.schema ?? {});
    const candidates = ['x'.repeat(5000), 'bad value!$', '-1', 'not-a-number', '99999999999999999999'];
    for (const candidate of candidates) {
      const typed = schema.type === 'integer' || schema.type === 'number' ? Number(candidate) : candidate;
      if (isValid(spec, schema, typed)) continue;
      if (parameter.in !== 'path' && parameter.in !== 'query') continue;
      requests.push({
        label: `${id}: bad ${parameter.in} parameter ${parameter.name}=${candidate.slice(0, 20)}`,
        method,
        path: samplePath(spec, operation, { [parameter.name]: candidate }),
        headers: {},
        ...(operation.bodyKind === 'json'
          ? {
              body: JSON.stringify(bodyExample(spec, operation, 'application/json') ?? {}),
              headers: { 'content-type': 'application/json' },
            }
          : {}),
        ...(operation.bodyKind === 'multipart' ? { body: sampleForm(spec, operation) } : {}),
      });
    }
  }

  if (operation.bodyKind === 'json') {
    const schema = requestBodySchema(spec, operation, 'application/json');
    const example = bodyExample(spec, operation, 'application/json');
    const json = { 'content-type': 'application/json' };
    requests.push({
      label: `${id}: malformed JSON`,
      method,
      path: path(),
      headers: json,
      body: '{"broken": ',
    });
    requests.push({
      label: `${id}: text/plain body`,
      method,
      path: path(),
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    requests.push({
      label: `${id}: body over the limit`,
      method,
      path: path(),
      headers: json,
      body: JSON.stringify({ junk: 'x'.repeat(bodyLimit + 1) }),
    });
    for (const wrong of [[], 'a string', 42]) {
      if (!isValid(spec, schema, wrong))
        requests.push({
          label: `${id}: body is ${JSON.stringify(wrong)}`,
          method,
          path: path(),
          headers: json,
          body: JSON.stringify(wrong),
        });
    }
    if (operation.bodyRequired)
      requests.push({ label: `${id}: empty body`, method, path: path(), headers: json, body: '' });
    const found: Mutation[] = [];
    mutations(spec, schema, example, [], 0, found);
    for (const mutation of found) {
      const body = mutation.apply(example);
      if (isValid(spec, schema, body)) continue; // this mutation is still acceptable to the contract
      const text = JSON.stringify(body);
      if (text.length > 4 * MiB) continue;
      requests.push({ label: `${id}: ${mutation.label}`, method, path: path(), headers: json, body: text });
    }
  }

  if (operation.bodyKind === 'stream') {
    requests.push({
      label: `${id}: JSON instead of a stream`,
      method,
      path: path(),
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    requests.push({
      label: `${id}: octet-stream instead of a text stream`,
      method,
      path: path(),
      headers: { 'content-type': 'application/octet-stream' },
      body: 'data: {}\n\n',
    });
  }

  if (operation.bodyKind === 'multipart') {
    requests.push({
      label: `${id}: JSON instead of multipart`,
      method,
      path: path(),
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    requests.push({
      label: `${id}: malformed multipart`,
      method,
      path: path(),
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nunterminated',
    });
    for (const field of operation.requiredFileFields) {
      requests.push({
        label: `${id}: missing file ${field}`,
        method,
        path: path(),
        headers: {},
        body: sampleForm(spec, operation, [field]),
      });
    }
    const schema = requestBodySchema(spec, operation, 'multipart/form-data');
    for (const [name, propertySchema] of Object.entries(schema?.properties ?? {})) {
      const property = resolveRef<OpenAPIV3.SchemaObject>(spec, propertySchema);
      if (['number', 'integer', 'boolean'].includes(String(property.type)) || property.enum) {
        const form = sampleForm(spec, operation, [name]);
        form.append(name, 'not-a-valid-value');
        requests.push({
          label: `${id}: wrong value for field ${name}`,
          method,
          path: path(),
          headers: {},
          body: form,
        });
      }
      if (
        operation.fileFields.includes(name) ||
        property.type !== 'string' ||
        typeof property.maxLength !== 'number' ||
        property.maxLength > HUGE_LIMIT
      )
        continue;
      const form = sampleForm(spec, operation, [name]);
      form.append(name, 'x'.repeat(property.maxLength + 1));
      requests.push({
        label: `${id}: too long field ${name}`,
        method,
        path: path(),
        headers: {},
        body: form,
      });
    }
  }
  return requests;
}
