import type { operations } from '../../generated/redaction';
import type { DomainHandlers } from '../contract/handler';
import { GatewayError } from '../errors/catalogue';
import { scrub } from './engine/scrub';
import type { KnownEntities, NerEntities, ScrubOutcome } from './engine/types';
import { findNames } from './ner';
import { rehydrate } from './rehydrate';
import { redactionOf } from './service';
import { rehydrateStream } from './stream-handler';

const MAX_UNKNOWN_LISTED = 10_000;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export const redactionHandlers: DomainHandlers<operations> = {
  scrubText: async ({ app, body, signal }) => {
    const { store } = redactionOf(app);
    const taskId = body.task_id;
    const handle = body.map_handle ?? null;
    const ner = body.ner ?? 'auto';
    const audit = {
      operation: 'scrub' as const,
      taskId,
      actor: body.actor ?? null,
      items: body.items.length,
    };
    // Fail fast on a bad handle, before the (slow) NER backstop runs.
    if (handle !== null) store.check(handle, taskId);
    const items = body.items.map((item) => ({ id: item.id, text: item.text }));
    let nerEntities: NerEntities | undefined;
    if (ner !== 'rules_only') {
      try {
        nerEntities = await findNames(
          app,
          items.map((item) => item.text),
          { timeoutMs: app.config.redaction.nerTimeoutMs, signal },
        );
      } catch (error) {
        store.audit({ ...audit, outcome: 'ner_unavailable' });
        throw error;
      }
    }
    // From here to the commit everything is synchronous: no other call can mint in this map meanwhile.
    const session = store.session(handle, taskId);
    let outcome: ScrubOutcome;
    try {
      outcome = scrub(
        items,
        {
          knownEntities: body.known_entities as KnownEntities | undefined,
          nerEntities,
          tier1Action: body.tier1_action ?? 'drop',
          bucket: { amounts: body.bucket?.amounts ?? false, dates: body.bucket?.dates ?? false },
        },
        session,
      );
    } catch (error) {
      // An engine error's message could quote the text it choked on: only where it happened is logged.
      const where = String((error as Error)?.stack ?? '')
        .split('\n')
        .slice(1, 6)
        .join('\n');
      app.logger.error({ errorName: (error as Error)?.name, where }, 'the scrub engine failed');
      store.audit({ ...audit, outcome: 'internal_error' });
      throw new GatewayError('internal_error', { detail: 'the scrub engine failed; nothing was returned' });
    }
    if (outcome.kind === 'tier1_detected') {
      store.audit({ ...audit, outcome: 'tier1_detected' });
      return {
        status: 422,
        body: {
          error: 'tier1_detected',
          detail: `Tier-1 identifiers were found in ${plural(outcome.spans.length, 'item', 'items')}; nothing was scrubbed`,
          spans: outcome.spans.map((span) => ({ item: span.item, kinds: [...new Set(span.kinds)] })),
        },
      };
    }
    if (outcome.kind === 'verification_failed') {
      store.audit({ ...audit, outcome: 'scrub_verification_failed' });
      const failed = [...new Set(outcome.items.map((entry) => entry.item))];
      return {
        status: 422,
        body: {
          error: 'scrub_verification_failed',
          detail: `${plural(failed.length, 'item', 'items')} still contained a detectable value after scrubbing; nothing was returned`,
          items: failed,
        },
      };
    }
    const { handle: mapHandle, expiresAt } = store.commit(session);
    store.audit({
      ...audit,
      outcome: 'ok',
      tier1Dropped: outcome.stats.tier1_dropped,
      tokenized: outcome.stats.tier2_tokenized,
      distinctEntities: outcome.stats.distinct_entities,
    });
    return {
      status: 200,
      body: {
        task_id: taskId,
        map_handle: mapHandle,
        items: outcome.items.map((item) => ({
          id: item.id,
          scrubbed_text: item.scrubbed_text,
          tokens_used: item.tokens_used,
        })),
        stats: { ...outcome.stats, descriptive_flags: [] },
        expires_at: expiresAt.toISOString(),
      },
    };
  },

  rehydrateText: ({ app, body }) => {
    const { store } = redactionOf(app);
    const reader = store.reader(body.map_handle, body.task_id);
    const unknown: { item: string; token: string }[] = [];
    let replaced = 0;
    const items = body.items.map((item) => {
      const result = rehydrate(item.text, reader.valueOf);
      for (const token of result.unknown) unknown.push({ item: item.id, token });
      replaced += result.replaced;
      return { id: item.id, text: result.text, replaced: result.replaced };
    });
    const audit = {
      operation: 'rehydrate' as const,
      taskId: body.task_id,
      items: body.items.length,
      unknown: unknown.length,
    };
    if (unknown.length > 0 && (body.on_unknown ?? 'fail') === 'fail') {
      store.audit({ ...audit, outcome: 'unknown_tokens' });
      return {
        status: 422,
        body: {
          error: 'unknown_tokens',
          detail: `${plural(unknown.length, 'placeholder was', 'placeholders were')} not issued by this map; nothing was restored`,
          tokens: unknown.slice(0, MAX_UNKNOWN_LISTED),
        },
      };
    }
    store.audit({ ...audit, outcome: 'ok', replaced });
    return {
      status: 200,
      body: {
        task_id: body.task_id,
        map_handle: body.map_handle,
        items,
        unknown_tokens: unknown.slice(0, MAX_UNKNOWN_LISTED),
      },
    };
  },

  rehydrateStream,
};
