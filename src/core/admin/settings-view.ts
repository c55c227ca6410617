import { settingChanges } from '../../store/settings-repo.js';
import type { Ctx } from '../context.js';
import { settingDefs, type RuntimeSettings, type SettingKey } from '../settings.js';
import type { AdminActor } from './permissions.js';

export interface SettingView {
  key: SettingKey;
  label: string;
  help: string;
  group: string;
  type: 'int' | 'bool' | 'enum';
  min?: number;
  max?: number;
  values?: string[];
  value: number | boolean | string;
  /** The value from configuration, used when no operator has changed it. */
  default: number | boolean | string;
  updated_at: number | null;
  updated_by: number | null;
}

/** What the settings page reads and changes: the stored changes and the runtime settings. */
export type SettingsViewCtx = Pick<Ctx, 'db'> & { settings: RuntimeSettings };

/** Every runtime setting with its definition, current value, default and last change. */
export async function listSettings(ctx: SettingsViewCtx): Promise<SettingView[]> {
  const changed = new Map((await settingChanges(ctx.db)).map((r) => [r.key, r]));
  const values = ctx.settings.all();
  const defaults = ctx.settings.defaults();
  return (Object.keys(settingDefs) as SettingKey[]).map((key) => {
    const def = settingDefs[key] as (typeof settingDefs)[SettingKey] & { min?: number; max?: number; values?: readonly string[] };
    const row = changed.get(key);
    return {
      key,
      label: def.label,
      help: def.help,
      group: def.group,
      type: def.type,
      ...(def.min !== undefined ? { min: def.min, max: def.max } : {}),
      ...(def.values ? { values: [...def.values] } : {}),
      value: values[key],
      default: defaults[key],
      updated_at: row?.updated_at ?? null,
      updated_by: row?.updated_by ?? null,
    };
  });
}

/** Validates and applies changes (all or none); each change is audited old → new and reaches every instance. */
export async function changeSettings(ctx: SettingsViewCtx, actor: AdminActor, changes: Record<string, unknown>): Promise<SettingView[]> {
  await ctx.settings.update(changes, actor.user.id, actor.meta);
  return listSettings(ctx);
}
