/**
 * French for the admin console's users pages (src/http/admin/console), keyed by the English text like
 * fr.ts. A msgid lives in one catalogue only (test/i18n/catalogues.test.ts): a word the hosted pages
 * already translate (fr.ts) or another console catalogue holds is not repeated here.
 */
export const frConsoleUsers: Readonly<Record<string, string>> = {
};
