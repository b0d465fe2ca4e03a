import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.cache/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // Workflow and shared domain code is bundled into Temporal's deterministic sandbox.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflow/domain code must not use Node built-ins.' },
            { group: ['@aws-sdk/*'], message: 'AWS calls belong in activities.' },
            { group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker'], message: 'Not allowed in the workflow sandbox.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'Use workflow time from @temporalio/workflow.' }],
    },
  },
);
