import { afterEach, expect } from '@jest/globals';
import { installResponseGuard, takeViolations } from '../helpers/response-guard';

installResponseGuard();

afterEach(async () => {
  expect(await takeViolations()).toEqual([]);
});
