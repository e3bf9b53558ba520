import type { BodyRewriter } from '../app-context';

/**
 * Rewrites a catalog alias in `model` to the served name vLLM knows (vLLM answers 404 for any
 * other name). Bodies that need no rewrite are forwarded as the client's own bytes.
 */
export const rewriteModelAlias: BodyRewriter = (context) => {
  const body = context.body as { model?: unknown } | undefined;
  if (!body || typeof body.model !== 'string') return null;
  const served = context.app.catalog.servedNameFor(body.model);
  if (!served || served === body.model) return null;
  return Buffer.from(JSON.stringify({ ...body, model: served }));
};
