import addFormats from 'ajv-formats';
import OpenAPIBackend, { type Context } from 'openapi-backend';
import { GatewayError, type ValidationProblem } from '../errors/catalogue';
import { resolve, type Domain, type Spec } from './specs';
import type { OpenAPIV3 } from 'openapi-types';

export type AjvErrorLike = { instancePath?: string; message?: string; params?: Record<string, unknown> };

/** Turns Ajv's errors into `{location, message}` pairs a person can act on. */
export function validationProblems(errors: AjvErrorLike[] | null | undefined): ValidationProblem[] {
  return (errors ?? []).slice(0, 100).map((error) => {
    const parts = (error.instancePath ?? '').split('/').filter(Boolean);
    const head = parts[0] === 'requestBody' ? 'body' : (parts[0] ?? 'request');
    const rest = parts
      .slice(1)
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join('');
    const missing = error.params?.missingProperty;
    const extra = error.params?.additionalProperty;
    const location = `${head}${rest}${typeof missing === 'string' ? `.${missing}` : ''}${typeof extra === 'string' ? `.${extra}` : ''}`;
    return { location, message: (error.message ?? 'is invalid').slice(0, 1000) };
  });
}

/** The catalogue error for a request that failed validation, naming every problem. */
export function validationError(errors: AjvErrorLike[] | null | undefined): GatewayError {
  const problems = validationProblems(errors);
  const param = problems[0]?.location.replace(/^(body|query|path|header)\./, '').split(/[.[]/)[0] ?? null;
  return new GatewayError('validation_failed', {
    detail: problemsMessage(problems),
    errors: problems,
    param,
  });
}

function problemsMessage(problems: ValidationProblem[]): string {
  const first = problems[0];
  if (!first) return 'request failed validation';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `${first.location}: ${first.message}${more}`.slice(0, 4000);
}

/** Whether any path, query or header parameter of the spec has a non-string type. */
function hasTypedParameters(spec: Spec): boolean {
  for (const item of Object.values(spec.paths ?? {})) {
    for (const operation of [item, ...Object.values(item ?? {})] as { parameters?: unknown[] }[]) {
      for (const raw of operation?.parameters ?? []) {
        const parameter = resolve<OpenAPIV3.ParameterObject>(spec, raw as OpenAPIV3.ParameterObject);
        const schema = resolve<OpenAPIV3.SchemaObject>(spec, parameter?.schema);
        if (schema?.type !== undefined && schema.type !== 'string') return true;
      }
    }
  }
  return false;
}

/**
 * One strict openapi-backend instance per spec. `quick` skips the slow eager compile at start
 * (the spec is linted in CI instead) and compiles each operation's validators on first use.
 * Every reserved handler is registered, so no request ever reaches an operation unvalidated.
 */
export async function createBackend(domain: Domain, spec: Spec): Promise<OpenAPIBackend> {
  const backend = new OpenAPIBackend({
    definition: structuredClone(spec) as never,
    apiRoot: '/',
    strict: true,
    quick: true,
    validate: true,
    // Coercion re-parses every request; it is only needed where a parameter is not a string.
    coerceTypes: hasTypedParameters(spec),
    ajvOpts: { strict: false, allErrors: true },
    customizeAjv: (ajv) => {
      addFormats(ajv as never);
      ajv.addFormat('binary', true);
      return ajv;
    },
    handlers: {
      validationFail: (context: Context) =>
        validationError(context.validation.errors as AjvErrorLike[] | null),
      notFound: (context: Context) =>
        new GatewayError('not_found', {
          detail: `no route matches ${context.request.path} in the ${domain} API`,
        }),
      methodNotAllowed: (context: Context) =>
        new GatewayError('method_not_allowed', {
          detail: `${context.request.method.toUpperCase()} is not allowed on ${context.request.path}`,
        }),
      notImplemented: (context: Context) =>
        new GatewayError('not_implemented', {
          detail: `${context.operation?.operationId ?? 'this operation'} has no implementation`,
        }),
      unauthorizedHandler: () => new GatewayError('unauthorized'),
    },
  });
  await backend.init();
  // openapi-backend rebuilds its operation list from the definition on every routing call; the
  // definition never changes after init, so the list is built once.
  const operations = backend.router.getOperations();
  backend.router.getOperations = () => operations;
  return backend;
}
