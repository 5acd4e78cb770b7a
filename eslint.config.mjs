// One lint config for the monorepo: typed rules, zero warnings, no floating promises.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'apps/web/dist/**',
      'apps/web/src/api/openapi.gen.ts',
      'node_modules/**',
      'coverage/**',
      '.infra/**',
      '.e2e/**',
      '**/*.mjs',
      'jest.config.ts',
      'k8s/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      // A function that returns a promise is async, so whatever it throws becomes a rejection: a
      // synchronous throw between starting one promise and awaiting it (Promise.all([a(), b()])
      // where b throws) would leave the first to reject unhandled and end the process.
      '@typescript-eslint/promise-function-async': 'error',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts', 'libs/testing/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // A test's own throw fails that test; nothing is left running to crash.
      '@typescript-eslint/promise-function-async': 'off',
    },
  },
);
