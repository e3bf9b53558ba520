import type { operations } from '../../generated/audio';
import { notBuilt, type DomainHandlers } from '../contract/handler';

const SPEECH = 'the speech pipeline';

/** Audio-domain handlers; the proxied operations (x-upstream in audio.yaml) need none. */
export const audioHandlers: DomainHandlers<operations> = {
  listVoices: notBuilt(SPEECH),
  transcribeWithSpeakers: notBuilt(SPEECH),
  labelMerge: notBuilt(SPEECH),
};
