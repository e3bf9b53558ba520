import type { InProcessHandler } from '../contract/handler';
import { notBuilt } from '../contract/handler';

const SPEECH = 'the speech pipeline';

/** Audio-domain handlers; the proxied operations (x-upstream in audio.yaml) need none. */
export const audioHandlers: Record<string, InProcessHandler> = {
  listVoices: notBuilt(SPEECH),
  transcribeWithSpeakers: notBuilt(SPEECH),
  labelMerge: notBuilt(SPEECH),
};
