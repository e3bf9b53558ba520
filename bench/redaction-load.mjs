// Loads the redaction engine's TypeScript sources directly (compiled on require by @swc/core, a
// dev dependency), so the redaction benchmarks need no build step. With REDACTION_FROM_DIST=1 they
// use the compiled `dist/` from `npm run build` instead.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function registerTypeScript() {
  const swc = require('@swc/core');
  const Module = require('node:module');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (error) {
      if (request.startsWith('.') && parent?.filename)
        return resolve.call(this, `${request}.ts`, parent, ...rest);
      throw error;
    }
  };
  Module._extensions['.ts'] = (module, filename) => {
    const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
}

export function loadEngine() {
  if (process.env.REDACTION_FROM_DIST === '1') {
    return {
      scrub: require(path.join(root, 'dist/src/redaction/engine/scrub.js')).scrub,
      detect: require(path.join(root, 'dist/src/redaction/engine/detect.js')).detect,
    };
  }
  registerTypeScript();
  return {
    scrub: require(path.join(root, 'src/redaction/engine/scrub.ts')).scrub,
    detect: require(path.join(root, 'src/redaction/engine/detect.ts')).detect,
  };
}

/** A minimal in-memory TokenMinter (same value → same placeholder). */
export class MemoryMinter {
  byKey = new Map();
  counters = new Map();
  values = new Map();
  placeholderFor(type, value, canonical) {
    const key = `${type}\u0000${canonical}`;
    let placeholder = this.byKey.get(key);
    if (!placeholder) {
      const next = (this.counters.get(type) ?? 0) + 1;
      this.counters.set(type, next);
      placeholder = `[${type}_${next}]`;
      this.byKey.set(key, placeholder);
      this.values.set(placeholder, value);
    }
    return placeholder;
  }
  issued(placeholder) {
    return this.values.has(placeholder);
  }
}
