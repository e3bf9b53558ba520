import { describe, expect, test } from '@jest/globals';
import { fold } from './fold';

describe('fold', () => {
  test('decomposed accents, ligatures, zero-width characters and full-width forms fold to plain letters', () => {
    const text = 'E\u0301lodie ﬁnance Ma\u200bria Ｏｋａｆｏｒ';
    const view = fold(text);
    expect(view.text).toBe('Elodie finance Maria Okafor');
    expect(view.lower).toBe('elodie finance maria okafor');
  });

  test('every folded character maps back to the original range it came from', () => {
    const text = 'xE\u0301 ﬁ a\u200bb';
    const view = fold(text);
    const back = (start: number, end: number): string => text.slice(view.starts[start], view.ends[end - 1]);
    expect(back(1, 2)).toBe('E\u0301'); // the combining mark travels with its letter
    expect(back(3, 5)).toBe('ﬁ'); // both halves of a ligature map to it
    expect(back(6, 8)).toBe('a\u200bb'); // an invisible character inside a span is cut with it
  });

  test('ASCII text is its own folded view', () => {
    const view = fold('Plain ASCII 123');
    expect(view.text).toBe('Plain ASCII 123');
    expect(Array.from(view.starts)).toEqual([...'Plain ASCII 123'].map((_, index) => index));
  });
});
