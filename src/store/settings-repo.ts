import type { Db } from './dialect/index.js';

/** Every stored setting: its key and its value as JSON. */
export function loadSettings(db: Db): Promise<{ key: string; value: string }[]> {
  return db.selectFrom('settings').select(['key', 'value']).execute();
}

/** Who changed each stored setting last, and when. */
export async function settingChanges(db: Db): Promise<{ key: string; updated_at: number; updated_by: number | null }[]> {
  const rows = await db.selectFrom('settings').select(['key', 'updated_at', 'updated_by']).execute();
  return rows.map((r) => ({ ...r, updated_by: r.updated_by === null ? null : Number(r.updated_by) }));
}

/** Stores `value` (JSON) under `key`, replacing what was there. */
export async function saveSetting(db: Db, row: { key: string; value: string; updated_at: number; updated_by: number | null }): Promise<void> {
  await db.insertInto('settings').values(row).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
}
