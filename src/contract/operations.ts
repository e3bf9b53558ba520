import type { OpenAPIV3 } from 'openapi-types';
import { SERVICE_NAMES, type ServiceName } from '../config/config';
import { resolve, type Domain, type Spec } from './specs';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The `x-upstream` extension of a proxied operation. */
export interface UpstreamBinding {
  service: ServiceName;
  path: string;
  stream: boolean;
  lane?: string;
}

export type BodyKind = 'none' | 'json' | 'multipart' | 'stream';

/** What the gateway needs to know about one operation of the contract. */
export interface OperationInfo {
  domain: Domain;
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/swap/{job_id}`. */
  path: string;
  upstream: UpstreamBinding | null;
  bodyKind: BodyKind;
  bodyRequired: boolean;
  /** Declared media types of the request body. */
  requestMediaTypes: string[];
  /** Byte limit from `x-body-limit`, or null for the family default. */
  bodyLimit: number | null;
  /** Multipart fields declared `format: binary`, and which of them are required. */
  fileFields: string[];
  requiredFileFields: string[];
  /** Whether the operation (or its spec) declares security requirements. */
  secured: boolean;
  /** Lower-case names of the header parameters the operation declares. */
  headerParameters: string[];
  /** Declared JSON type of each multipart text field, to read its string value as what it stands for. */
  formFieldTypes: Record<string, string>;
  definition: OpenAPIV3.OperationObject;
}

type WithExtensions = OpenAPIV3.OperationObject & { 'x-upstream'?: unknown; 'x-body-limit'?: unknown };

function parseUpstream(operationId: string, raw: unknown): UpstreamBinding | null {
  if (raw === undefined) return null;
  const value = raw as Partial<UpstreamBinding>;
  if (
    !value ||
    typeof value !== 'object' ||
    !SERVICE_NAMES.includes(value.service as ServiceName) ||
    typeof value.path !== 'string'
  ) {
    throw new Error(
      `${operationId}: x-upstream needs a known service (${SERVICE_NAMES.join(', ')}) and a path`,
    );
  }
  return {
    service: value.service as ServiceName,
    path: value.path,
    stream: value.stream === true,
    lane: value.lane,
  };
}

function bodyKind(mediaTypes: string[]): BodyKind {
  if (mediaTypes.length === 0) return 'none';
  if (mediaTypes.includes('application/json')) return 'json';
  if (mediaTypes.includes('multipart/form-data')) return 'multipart';
  return 'stream';
}

export function listOperations(domain: Domain, spec: Spec): OperationInfo[] {
  const operations: OperationInfo[] = [];
  for (const [route, item] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const definition = item?.[method] as WithExtensions | undefined;
      if (!definition) continue;
      const operationId = definition.operationId;
      if (!operationId) throw new Error(`${domain}: ${method.toUpperCase()} ${route} has no operationId`);
      const requestBody = resolve<OpenAPIV3.RequestBodyObject>(spec, definition.requestBody);
      const content = requestBody?.content ?? {};
      const requestMediaTypes = Object.keys(content);
      const multipartSchema = resolve<OpenAPIV3.SchemaObject>(spec, content['multipart/form-data']?.schema);
      const fileFields = Object.entries(multipartSchema?.properties ?? {})
        .filter(([, schema]) => {
          const resolved = resolve<OpenAPIV3.SchemaObject>(spec, schema);
          return (
            resolved?.format === 'binary' ||
            (resolved?.type === 'array' &&
              resolve<OpenAPIV3.SchemaObject>(spec, resolved.items)?.format === 'binary')
          );
        })
        .map(([name]) => name);
      const formFieldTypes = Object.fromEntries(
        Object.entries(multipartSchema?.properties ?? {}).map(([name, schema]) => [
          name,
          resolve<OpenAPIV3.SchemaObject>(spec, schema)?.type ?? 'string',
        ]),
      );
      const headerParameters = [...(item?.parameters ?? []), ...(definition.parameters ?? [])]
        .map((parameter) => resolve<OpenAPIV3.ParameterObject>(spec, parameter))
        .filter((parameter) => parameter?.in === 'header')
        .map((parameter) => parameter!.name.toLowerCase());
      const limit = definition['x-body-limit'];
      operations.push({
        domain,
        operationId,
        method,
        path: route,
        upstream: parseUpstream(operationId, definition['x-upstream']),
        bodyKind: bodyKind(requestMediaTypes),
        bodyRequired: requestBody?.required === true,
        requestMediaTypes,
        bodyLimit: typeof limit === 'number' && limit > 0 ? limit : null,
        fileFields,
        requiredFileFields: fileFields.filter((name) => multipartSchema?.required?.includes(name)),
        formFieldTypes,
        headerParameters,
        secured: (definition.security ?? spec.security ?? []).length > 0,
        definition,
      });
    }
  }
  return operations;
}
