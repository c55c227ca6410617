import { formatDuration, parseHumanDuration } from '../../../core/human-duration.js';
import { settingDefs, type SettingKey } from '../../../core/settings.js';
import type { Speech } from './layout.js';

/** The unit a duration setting is stored in (core/settings.ts declares it), undefined for others. */
function storedUnit(key: SettingKey): 'seconds' | 'days' | undefined {
  const def = settingDefs[key];
  return 'unit' in def ? def.unit : undefined;
}
const perUnit = { seconds: 1, days: 86400 } as const;

export function isDurationSetting(key: SettingKey): boolean {
  return storedUnit(key) !== undefined;
}

/** "Access-token lifetime (s)" → "Access-token lifetime": the field shows its own units. */
export function durationLabel(label: string): string {
  return label.replace(/\s*\((s|days)\)$/, '');
}

/** A stored value as the field shows it, in the page's language: exact, so saving the form unchanged changes nothing. */
export function showDuration(key: SettingKey, stored: number, { locale }: Pick<Speech, 'locale'>, exact = true): string {
  return formatDuration(stored * perUnit[storedUnit(key) ?? 'seconds'], { exact, locale });
}

/** "10 s to 1 day": a setting's range in the same words as its field. */
export function durationRange(key: SettingKey, min: number, max: number, speech: Speech): string {
  return speech.t('{{min}} to {{max}}', { min: showDuration(key, min, speech, false), max: showDuration(key, max, speech, false) });
}

/** What to type, for the field's help. */
export function durationExamples(key: SettingKey, { t }: Speech): string {
  return storedUnit(key) === 'days' ? t('“30 days”, “2 weeks” or a number of days') : t('“90 s”, “15 min”, “1 h 30 min”, “30 days”');
}

/**
 * Typed text (in either language: "30 days", "30 jours") → the stored number, or a message in the
 * page's language. A bare number is in the setting's own unit (seconds, or days for retention), as
 * before; "15 min", "1 h 30 min", "30d" are read as durations.
 */
export function readDuration(key: SettingKey, text: string, min: number, max: number, speech: Speech): { value: number } | { error: string } {
  const { t } = speech;
  const unit = storedUnit(key) ?? 'seconds';
  const bare = /^\s*[0-9]{1,12}\s*$/.test(text);
  const seconds = bare ? Number(text) * perUnit[unit] : parseHumanDuration(text);
  if (seconds === undefined) {
    return { error: unit === 'days' ? t('Expected a duration such as 30 days, 2 weeks or a number of days.') : t('Expected a duration such as 90 s, 15 min, 1 h 30 min or a number of seconds.') };
  }
  if (seconds % perUnit[unit] !== 0) return { error: t('Expected whole days, such as 30 days.') };
  const value = seconds / perUnit[unit];
  if (value < min || value > max) return { error: t('Expected a duration from {{range}}.', { range: durationRange(key, min, max, speech) }) };
  return { value };
}
