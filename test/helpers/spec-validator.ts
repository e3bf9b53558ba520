import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import OpenAPIBackend from 'openapi-backend';
import { DOMAINS, loadSpecs, type Domain, type Spec } from '../../src/contract/specs';
import { routeFamily } from '../../src/errors/envelope';

/**
 * The test oracle: validates any response the tests see against the spec of the operation that
 * answered it, with the same engine the gateway runs (openapi-backend + Ajv).
 */
export class SpecValidator {
  readonly specs: Record<Domain, Spec>;
  private readonly backends = new Map<Domain, OpenAPIBackend>();
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(specs: Record<Domain, Spec>) {
    this.specs = specs;
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv as never);
    this.ajv.addFormat('binary', true);
    for (const domain of DOMAINS) this.ajv.addSchema(specs[domain] as object, domain);
  }

  static async create(): Promise<SpecValidator> {
    const validator = new SpecValidator(loadSpecs());
    for (const domain of DOMAINS) {
      const backend = new OpenAPIBackend({
        definition: structuredClone(validator.specs[domain]) as never,
        quick: true,
        strict: true,
        customizeAjv: (ajv) => {
          addFormats(ajv as never);
          ajv.addFormat('binary', true);
          return ajv;
        },
      });
      await backend.init();
      validator.backends.set(domain, backend);
    }
    return validator;
  }

  /** The schema validator of a pointer inside a domain's spec, e.g. `#/components/schemas/ApiError`. */
  schema(domain: Domain, pointer: string): ValidateFunction {
    const key = `${domain}${pointer}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.getSchema(key);
      if (!validate) throw new Error(`no schema at ${key}`);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** The error envelope schema of a path's route family. */
  envelope(path: string): ValidateFunction {
    const family = routeFamily(path);
    if (family === 'openai') return this.schema('llm', '#/components/schemas/OpenAIError');
    if (family === 'redaction') return this.schema('redaction', '#/components/schemas/RedactionError');
    return this.schema('control', '#/components/schemas/ApiError');
  }

  /** The schema of one event of an operation's event stream (`x-sse-event-schema`), if it declares one. */
  sseEventSchema(method: string, path: string, status: number): ValidateFunction | null {
    const found = this.findOperation(method, path);
    if (!found) return null;
    const operation = this.backends.get(found.domain)!.getOperation(found.operationId) as {
      responses?: Record<string, { content?: Record<string, { 'x-sse-event-schema'?: string }> }>;
    };
    const pointer =
      operation.responses?.[String(status)]?.content?.['text/event-stream']?.['x-sse-event-schema'];
    return pointer ? this.schema(found.domain, pointer) : null;
  }

  findOperation(method: string, path: string): { domain: Domain; operationId: string } | null {
    for (const domain of DOMAINS) {
      const operation = this.backends.get(domain)!.router.matchOperation({ method, path, headers: {} });
      if (operation?.operationId) return { domain, operationId: operation.operationId };
    }
    return null;
  }

  /**
   * Problems with a JSON response, or [] when it conforms: the operation's declared schema for
   * that status, or — for paths outside the contract — the error envelope of the route family.
   */
  checkJsonResponse(method: string, path: string, status: number, body: unknown): string[] {
    const found = this.findOperation(method, path);
    if (!found) {
      const validate = this.envelope(path);
      return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    }
    const backend = this.backends.get(found.domain)!;
    const operation = backend.getOperation(found.operationId)!;
    if (!(
      operation.responses &&
      (String(status) in operation.responses || 'default' in operation.responses)
    )) {
      return [`${found.operationId} does not declare status ${status}`];
    }
    const result = backend.validateResponse(body, found.operationId, status);
    return (result.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }
}

let shared: Promise<SpecValidator> | null = null;
export function specValidator(): Promise<SpecValidator> {
  shared ??= SpecValidator.create();
  return shared;
}
