/** Importing users from a Django project: its database (SQLite or PostgreSQL) or a dumpdata file. */
export { importDjangoUsers, type ImportOptions, type ImportProgress, type ImportSummary } from './import-users.js';
export { importFields, parseFieldMap, type ImportField } from './mapping.js';
export type { LoginField } from './prepare-row.js';
export { checkDjangoTokens, importDjangoTokens, importedTokenName, skippedUserIds, TokenImportError, type TokenImportOptions, type TokenImportSummary } from './import-tokens.js';
