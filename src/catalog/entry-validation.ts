import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { components } from '../../generated/control';
import { loadSpec } from '../contract/specs';
import { deniedLauncherFlag, deniedVllmArg } from './launcher-flags';

export type CatalogModel = components['schemas']['CatalogModel'];

/** One thing wrong with one entry: the field as a dotted path, or null for the whole entry. */
export interface EntryProblem {
  field: string | null;
  message: string;
}

let compiled: ValidateFunction | null = null;

/** The contract's `CatalogModel` schema, compiled once from the bundled spec. */
function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv as never);
    ajv.addSchema(loadSpec('control') as object, 'control');
    const validate = ajv.getSchema('control#/components/schemas/CatalogModel');
    if (!validate) throw new Error('the control spec has no CatalogModel schema');
    compiled = validate;
  }
  return compiled;
}

function dotted(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function schemaProblem(error: ErrorObject): EntryProblem {
  const at = dotted(error.instancePath);
  const join = (child: string) => (at ? `${at}.${child}` : child);
  switch (error.keyword) {
    case 'required':
      return { field: join(String(error.params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { field: join(String(error.params.additionalProperty)), message: 'is not a known field' };
    case 'enum':
      return {
        field: at || null,
        message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return { field: at || null, message: error.message ?? 'is invalid' };
  }
}

/** Checks of the schema that name the wrong field better than Ajv does, and the catalog's own rules. */
function semanticProblems(entry: Record<string, unknown>): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const hasRepo = entry.hf_repo !== undefined;
  const hasPath = entry.local_path !== undefined;
  if (hasRepo === hasPath) {
    problems.push({ field: 'hf_repo', message: 'exactly one of hf_repo and local_path must be set' });
  }
  if (typeof entry.local_path === 'string') problems.push(...localPathProblems(entry.local_path));
  const vllm = (entry.vllm ?? {}) as Record<string, unknown>;
  if (Array.isArray(vllm.extra_args)) {
    vllm.extra_args.forEach((arg, index) => {
      const reason = typeof arg === 'string' ? deniedVllmArg(arg) : null;
      if (reason) problems.push({ field: `vllm.extra_args[${index}]`, message: reason });
    });
  }
  if (vllm.gpu_memory_utilization !== undefined && vllm.gpu_memory_gib !== undefined) {
    problems.push({
      field: 'vllm.gpu_memory_gib',
      message: 'set either gpu_memory_utilization or gpu_memory_gib, not both',
    });
  }
  const runtime = (entry.runtime ?? {}) as Record<string, unknown>;
  if (runtime.env && typeof runtime.env === 'object') {
    for (const name of Object.keys(runtime.env)) {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) {
        problems.push({ field: `runtime.env.${name}`, message: 'must be an upper-case variable name' });
      }
    }
  }
  if (Array.isArray(runtime.launcher_flags)) {
    runtime.launcher_flags.forEach((flag, index) => {
      const reason = typeof flag === 'string' ? deniedLauncherFlag(flag) : null;
      if (reason) problems.push({ field: `runtime.launcher_flags[${index}]`, message: reason });
    });
  }
  if (Array.isArray(runtime.mods)) {
    runtime.mods.forEach((mod, index) => {
      if (typeof mod === 'string' && mod.split('/').some((part) => part === '..' || part === '.')) {
        problems.push({ field: `runtime.mods[${index}]`, message: 'may not contain . or .. segments' });
      }
    });
  }
  const resources = (entry.resources ?? {}) as Record<string, unknown>;
  if (typeof resources.per_node_gib === 'number' && resources.per_node_gib > GB10_USABLE_GIB) {
    problems.push({
      field: 'resources.per_node_gib',
      message: `is more than a GB10 node can give (about ${GB10_USABLE_GIB} GiB of unified memory)`,
    });
  }
  const timing = (entry.timing ?? {}) as Record<string, unknown>;
  if (
    typeof timing.expected_load_s === 'number' &&
    typeof timing.load_timeout_s === 'number' &&
    timing.expected_load_s > timing.load_timeout_s
  ) {
    problems.push({ field: 'timing.load_timeout_s', message: 'is shorter than timing.expected_load_s' });
  }
  return problems;
}

/** What CUDA sees of a GB10's 128 GB of unified memory. */
const GB10_USABLE_GIB = 121;

/** System directories never hold model weights; a path there is a typo or an attempt to read them. */
const SYSTEM_ROOTS = [
  'bin',
  'boot',
  'dev',
  'etc',
  'lib',
  'lib64',
  'proc',
  'run',
  'sbin',
  'sys',
  'usr',
  'var',
];

function localPathProblems(localPath: string): EntryProblem[] {
  const parts = localPath.split('/').slice(1);
  if (!localPath.startsWith('/')) return [{ field: 'local_path', message: 'must be an absolute path' }];
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    return [{ field: 'local_path', message: 'may not contain empty, . or .. segments' }];
  }
  if (parts.length < 2 || SYSTEM_ROOTS.includes(parts[0]!)) {
    return [
      { field: 'local_path', message: 'must be a model directory, not a system or top-level directory' },
    ];
  }
  return [];
}

/**
 * Validates one raw entry against the contract's `CatalogModel` and the catalog's rules. Returns
 * the problems (empty when the entry is usable).
 */
export function entryProblems(raw: unknown): EntryProblem[] {
  const validate = schemaValidator();
  const problems: EntryProblem[] = [];
  if (!validate(raw)) {
    for (const error of validate.errors ?? []) {
      // The hf_repo/local_path oneOf is reported once, in words, by the semantic checks.
      if (error.schemaPath.startsWith('#/oneOf') || error.keyword === 'oneOf') continue;
      problems.push(schemaProblem(error));
    }
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    problems.push(...semanticProblems(raw as Record<string, unknown>));
  } else if (problems.length === 0) {
    problems.push({ field: null, message: 'must be a mapping' });
  }
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.field} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
