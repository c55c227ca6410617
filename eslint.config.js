// ESLint over src/, test/, bench/ and the packages: typescript-eslint's recommended rules plus the type-aware
// promise rules (a promise nobody awaits or catches can end the process on Node 20).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', '**/dist/**', 'node_modules/**', 'bench/results/**', 'var/**', 'packages/client/src/schema.ts'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'packages/*/src/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // tsc's strict mode already refuses implicit any; the explicit ones (74) are mostly Kysely's own
      // migration idiom (schema builders on Kysely<any>) and untyped driver rows: not worth the noise.
      '@typescript-eslint/no-explicit-any': 'off',
      // `_name` says "deliberately unused" (a rest-sibling drop, a positional parameter), as tsc reads it.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/admin-ui/**/*.js'],
    extends: [js.configs.recommended],
    // A browser script: its globals (document, fetch, …) come from the page, which tsc does not check either.
    languageOptions: { sourceType: 'script' },
    rules: { 'no-undef': 'off' },
  },
);
