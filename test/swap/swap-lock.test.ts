import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { call, postJson } from '../helpers/http';
import { waitFor } from '../helpers/wait';
import { finished, startSwap, waitForJob, MODELS_ON_DISK } from './swap-client';

interface Lock {
  held: boolean;
  holder: string | null;
  seconds_remaining: number | null;
  token?: string;
}

// Swaps run real SSH sessions against the emulated cluster; a loaded CI machine needs slack.
jest.setTimeout(60_000);

describe('the swap reservation lock, as the previous product had it', () => {
  let gw: TestGateway;

  beforeEach(async () => {
    gw = await startTestGateway({ cluster: { loadDelayMs: 100, modelsOnDisk: MODELS_ON_DISK } });
  });

  afterEach(async () => {
    await gw.close();
  });

  const acquire = (body: Record<string, unknown>) => postJson(gw.baseUrl, '/api/swap/lock', body);
  const release = (query: string) => call(gw.baseUrl, `/api/swap/lock?${query}`, { method: 'DELETE' });

  it('grants, refuses another holder with 409, extends with the token, and clamps the TTL', async () => {
    const free = await call(gw.baseUrl, '/api/swap/lock');
    expect(free.json).toEqual({
      held: false,
      holder: null,
      acquired_at: null,
      expires_at: null,
      seconds_remaining: null,
      note: null,
    });

    const granted = await acquire({ holder: 'nightly-eval', note: 'benchmarks', extra: 'ignored' });
    expect(granted.status).toBe(200);
    const grant = granted.json as Lock & { token: string };
    expect(grant).toMatchObject({
      held: true,
      holder: 'nightly-eval',
      seconds_remaining: 900,
      note: 'benchmarks',
    });
    expect(grant.token).toMatch(/^lk_[A-Za-z0-9_-]+$/);

    const state = await call(gw.baseUrl, '/api/swap/lock');
    expect(state.json).toMatchObject({ held: true, holder: 'nightly-eval' });
    expect(state.text).not.toContain(grant.token);

    const other = await acquire({ holder: 'someone-else' });
    expect(other.status).toBe(409);
    expect(other.json).toMatchObject({
      code: 'swap_lock_held',
      lock: { held: true, holder: 'nightly-eval' },
    });
    expect(other.text).not.toContain(grant.token);

    const noToken = await acquire({ holder: 'nightly-eval' });
    expect(noToken.status).toBe(409);

    const huge = await acquire({ holder: 'nightly-eval', token: grant.token, ttl_seconds: 10_000_000 });
    expect(huge.status).toBe(200);
    expect(huge.json).toMatchObject({ seconds_remaining: 86_400, token: grant.token, note: 'benchmarks' });

    for (const ttl of [0, -5]) {
      const tiny = await acquire({ holder: 'nightly-eval', token: grant.token, ttl_seconds: ttl });
      expect(tiny.status).toBe(200);
      expect((tiny.json as Lock).seconds_remaining).toBeLessThanOrEqual(1);
    }
    // A 1-second lock expires by itself.
    let expired = false;
    await waitFor(
      () => {
        void call(gw.baseUrl, '/api/swap/lock').then((r) => (expired = (r.json as Lock).held === false));
        return expired;
      },
      'the lock to expire',
      3_000,
    );
    const afterExpiry = await acquire({ holder: 'someone-else' });
    expect(afterExpiry.status).toBe(200);
  });

  it('refuses a swap without the token with 423, accepts it with the token (header wins over body)', async () => {
    const grant = (await acquire({ holder: 'nightly-eval' })).json as Lock & { token: string };

    const none = await postJson(gw.baseUrl, '/api/swap', { model: 'other-model' });
    expect(none.status).toBe(423);
    expect(none.json).toMatchObject({ code: 'swap_locked', lock: { held: true, holder: 'nightly-eval' } });
    const wrong = await postJson(gw.baseUrl, '/api/swap', { model: 'other-model', lock_token: 'lk_wrong' });
    expect(wrong.status).toBe(423);
    const headerWrong = await postJson(
      gw.baseUrl,
      '/api/swap',
      { model: 'other-model', lock_token: grant.token },
      { 'x-swap-lock-token': 'lk_wrong' },
    );
    expect(headerWrong.status).toBe(423);
    expect(gw.gateway.context.swaps!.runningJobId).toBeNull();

    const accepted = await startSwap(
      gw.baseUrl,
      { model: 'other-model', lock_token: 'lk_wrong' },
      { 'x-swap-lock-token': grant.token },
    );
    const job = await waitForJob(gw.baseUrl, accepted.job_id, finished, 'locked swap');
    expect(job).toMatchObject({ state: 'succeeded', lock_holder: 'nightly-eval' });

    const byBody = await startSwap(gw.baseUrl, { model: 'test-model', lock_token: grant.token });
    await waitForJob(gw.baseUrl, byBody.job_id, finished, 'swap back');
  });

  it('releases with the token or by force; a wrong token is 409, neither is 400', async () => {
    const grant = (await acquire({ holder: 'nightly-eval' })).json as Lock & { token: string };
    expect((await release('')).status).toBe(400);
    const wrong = await release('token=lk_wrong');
    expect(wrong.status).toBe(409);
    expect(wrong.json).toMatchObject({ code: 'swap_lock_held', lock: { holder: 'nightly-eval' } });

    const released = await release(`token=${grant.token}`);
    expect(released.status).toBe(200);
    expect(released.json).toMatchObject({
      released: true,
      forced: false,
      previous_holder: 'nightly-eval',
      lock: { held: false },
    });

    await acquire({ holder: 'another' });
    const forced = await release('force=true');
    expect(forced.json).toMatchObject({ released: true, forced: true, previous_holder: 'another' });
    const nothing = await release('force=true');
    expect(nothing.json).toMatchObject({ released: false, previous_holder: null });
  });
});

describe('live settings', () => {
  let gw: TestGateway;

  beforeEach(async () => {
    gw = await startTestGateway();
  });

  afterEach(async () => {
    await gw.close();
  });

  it('reads defaults, changes knobs durably, resets with null, and never returns secrets', async () => {
    const initial = await call(gw.baseUrl, '/api/settings');
    expect(initial.status).toBe(200);
    expect(initial.json).toMatchObject({
      settings: {
        SWAP_DRAIN_TIMEOUT_S: 120,
        LLM_SWAP_HOLD_S: 0,
        auto_rollback: false,
        swap_webhook_url: null,
      },
      secrets_set: { swap_webhook_secret: false, HF_TOKEN: false },
      updated_at: null,
    });
    const patch = (body: unknown) =>
      call(gw.baseUrl, '/api/settings', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const changed = await patch({
      SWAP_DRAIN_TIMEOUT_S: 30,
      HF_TOKEN: 'hf_secret_value',
      DISABLED_SERVICES: ['qdrant'],
    });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({
      settings: { SWAP_DRAIN_TIMEOUT_S: 30, DISABLED_SERVICES: ['qdrant'] },
      secrets_set: { HF_TOKEN: true },
      sources: { SWAP_DRAIN_TIMEOUT_S: 'settings' },
    });
    expect(changed.text).not.toContain('hf_secret_value');
    expect(gw.gateway.context.config.services.qdrant.disabled).toBe(true);

    const reset = await patch({ SWAP_DRAIN_TIMEOUT_S: null, DISABLED_SERVICES: null });
    expect(reset.json).toMatchObject({ settings: { SWAP_DRAIN_TIMEOUT_S: 120, DISABLED_SERVICES: [] } });
    expect((reset.json as { sources: Record<string, string> }).sources.SWAP_DRAIN_TIMEOUT_S).toBeUndefined();
    expect(gw.gateway.context.config.services.qdrant.disabled).toBe(false);

    const unknown = await patch({ NOT_A_KNOB: 1 });
    expect(unknown.status).toBe(400);
  });

  it("takes over the previous product's app_settings.json on the first boot", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-legacy-settings-'));
    fs.writeFileSync(
      path.join(dataDir, 'app_settings.json'),
      JSON.stringify({ SWAP_DRAIN_TIMEOUT_S: '45', swap_webhook_secret: 'whsec_old', auto_rollback: 'true' }),
    );
    const legacy = await startTestGateway({ env: { DATA_DIR: dataDir } });
    try {
      const view = await call(legacy.baseUrl, '/api/settings');
      expect(view.json).toMatchObject({
        settings: { SWAP_DRAIN_TIMEOUT_S: 45, auto_rollback: true },
        secrets_set: { swap_webhook_secret: true },
        sources: { SWAP_DRAIN_TIMEOUT_S: 'settings', auto_rollback: 'settings' },
      });
    } finally {
      await legacy.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
