import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, parseHumanDuration } from '../../src/core/human-duration.js';

describe('human durations', () => {
  it('formats seconds in the largest units, two at most, rounded down', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(90)).toBe('1 min 30 s');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(5400)).toBe('1 h 30 min');
    expect(formatDuration(86400)).toBe('1 day');
    expect(formatDuration(30 * 86400)).toBe('30 days');
    expect(formatDuration(90061)).toBe('1 day 1 h');
    expect(formatDuration(86405)).toBe('1 day');
    expect(formatDuration(59.9)).toBe('59 s');
  });

  it('formats exactly when the text will be read back', () => {
    expect(formatDuration(86405, { exact: true })).toBe('1 day 5 s');
    expect(formatDuration(90061, { exact: true })).toBe('1 day 1 h 1 min 1 s');
    for (const s of [1, 59, 61, 3599, 3601, 86399, 86401, 31_536_000, 123_456_789]) expect(parseHumanDuration(formatDuration(s, { exact: true }))).toBe(s);
  });

  it('reads typed durations, a bare number as seconds', () => {
    const cases: [string, number][] = [
      ['90', 90], ['90s', 90], ['90 s', 90], ['15 min', 900], ['15m', 900], ['15 minutes', 900], ['1 h 30 min', 5400], ['1h30m', 5400],
      ['1 hour and 30 minutes', 5400], ['1 h, 30 min', 5400], ['30d', 2_592_000], ['30 days', 2_592_000], ['1 day', 86400], ['2 weeks', 1_209_600],
      ['  5 MIN ', 300], ['0', 0],
    ];
    for (const [text, seconds] of cases) expect(parseHumanDuration(text), text).toBe(seconds);
  });

  it('refuses what is not a duration', () => {
    for (const text of ['', ' ', 'ten', '5 fortnights', '1 h 30', '-5', '1.5 h', 'h', '5 min extra', '1,000 days', '1'.repeat(61), `${'1 s '.repeat(20)}`]) {
      expect(parseHumanDuration(text), text).toBeUndefined();
    }
  });

  it('says how long ago', () => {
    expect(formatAge(400)).toBe('just now');
    expect(formatAge(125_000)).toBe('2 min 5 s ago');
  });

  it('writes French unit names for a French page, English by default', () => {
    const fr = { locale: 'fr' } as const;
    expect(formatDuration(0, fr)).toBe('0 s');
    expect(formatDuration(45, fr)).toBe('45 s');
    expect(formatDuration(300, fr)).toBe('5 min');
    expect(formatDuration(5400, fr)).toBe('1 h 30 min');
    expect(formatDuration(86400, fr)).toBe('1 jour');
    expect(formatDuration(93600, fr)).toBe('1 jour 2 h');
    expect(formatDuration(30 * 86400, fr)).toBe('30 jours');
    expect(formatDuration(86405, { ...fr, exact: true })).toBe('1 jour 5 s');
    expect(formatDuration(93600, { locale: 'en' })).toBe('1 day 2 h');
    expect(formatAge(400, fr)).toBe('à l’instant');
    expect(formatAge(300_000, fr)).toBe('il y a 5 min');
    expect(formatAge(2 * 86_400_000, fr)).toBe('il y a 2 jours');
    expect(formatAge(300_000, { locale: 'en' })).toBe('5 min ago');
  });

  it('reads French durations back, what a French form wrote and what people type', () => {
    for (const s of [1, 59, 61, 3599, 3601, 86399, 86401, 31_536_000, 123_456_789]) expect(parseHumanDuration(formatDuration(s, { exact: true, locale: 'fr' }))).toBe(s);
    const cases: [string, number][] = [
      ['30 jours', 2_592_000], ['1 jour', 86400], ['30j', 2_592_000], ['30 j', 2_592_000], ['2 semaines', 1_209_600], ['1 semaine', 604_800],
      ['1 heure et 30 minutes', 5400], ['2 heures', 7200], ['1 h 30 min', 5400], ['45 secondes', 45], ['1 seconde', 1], ['1 minute', 60],
      ['1 jour 2 h', 93600], ['  3 JOURS ', 259_200],
    ];
    for (const [text, seconds] of cases) expect(parseHumanDuration(text), text).toBe(seconds);
    for (const text of ['trente jours', '5 quinzaines', '1 jour 30', 'jours']) expect(parseHumanDuration(text), text).toBeUndefined();
  });
});
