import { formatDuration, parseHumanDuration } from '../../../core/human-duration.js';
import { settingDefs, type SettingKey } from '../../../core/settings.js';

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

/** A stored value as the field shows it: exact, so saving the form unchanged changes nothing. */
export function showDuration(key: SettingKey, stored: number, exact = true): string {
  return formatDuration(stored * perUnit[storedUnit(key) ?? 'seconds'], { exact });
}

/** "10 s to 1 day": a setting's range in the same words as its field. */
export function durationRange(key: SettingKey, min: number, max: number): string {
  return `${showDuration(key, min, false)} to ${showDuration(key, max, false)}`;
}

/** What to type, for the field's help. */
export function durationExamples(key: SettingKey): string {
  return storedUnit(key) === 'days' ? '“30 days”, “2 weeks” or a number of days' : '“90 s”, “15 min”, “1 h 30 min”, “30 days”';
}

/**
 * Typed text → the stored number, or a message. A bare number is in the setting's own unit
 * (seconds, or days for retention), as before; "15 min", "1 h 30 min", "30d" are read as durations.
 */
export function readDuration(key: SettingKey, text: string, min: number, max: number): { value: number } | { error: string } {
  const unit = storedUnit(key) ?? 'seconds';
  const bare = /^\s*[0-9]{1,12}\s*$/.test(text);
  const seconds = bare ? Number(text) * perUnit[unit] : parseHumanDuration(text);
  if (seconds === undefined) return { error: `Expected a duration such as ${unit === 'days' ? '30 days, 2 weeks' : '90 s, 15 min, 1 h 30 min'} or a number of ${unit}.` };
  if (seconds % perUnit[unit] !== 0) return { error: `Expected whole days, such as 30 days.` };
  const value = seconds / perUnit[unit];
  if (value < min || value > max) return { error: `Expected a duration from ${durationRange(key, min, max)}.` };
  return { value };
}
