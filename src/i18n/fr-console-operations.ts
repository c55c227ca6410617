/**
 * French for the admin console's operations pages (src/http/admin/console), keyed by the English text like
 * fr.ts. A msgid lives in one catalogue only (test/i18n/catalogues.test.ts): a word the hosted pages
 * already translate (fr.ts) or another console catalogue holds is not repeated here.
 */
export const frConsoleOperations: Readonly<Record<string, string>> = {
};
