import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.nx/**',
      'libs/contracts/src/generated/**',
      'tmp/**',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false } },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // Apps are deployables: they use libraries, never each other.
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:platform',
                'type:domain',
                'type:contracts',
                'type:errors',
                'type:testing',
              ],
            },
            // Pure rules: no I/O adapters, no apps.
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: [
                'type:domain',
                'type:contracts',
                'type:errors',
                'type:testing',
              ],
            },
            // Adapters: never apps or domain libraries.
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: [
                'type:platform',
                'type:contracts',
                'type:errors',
                'type:testing',
              ],
            },
            // Generated contracts depend on nothing of ours.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:errors', onlyDependOnLibsWithTags: [] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:contracts', 'type:errors'],
            },
            // The web console runs in the browser: no workspace library (they are Node code).
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: [] },
            // Whole-system tests and the traffic simulator: drive the apps from outside, through
            // libraries only (the apps themselves run as processes).
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: [
                'type:platform',
                'type:domain',
                'type:contracts',
                'type:errors',
                'type:testing',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    // The console is browser code: Node's modules do not exist there.
    files: ['apps/console/src/**/*.ts', 'apps/console/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The console runs in the browser: no Node modules.' },
            {
              group: ['@sms/*'],
              message: 'Workspace libraries are Node code; the console talks to the API.',
            },
          ],
          paths: [
            'fs',
            'path',
            'os',
            'child_process',
            'crypto',
            'http',
            'https',
            'net',
            'stream',
            'url',
            'util',
          ].map((name) => ({ name, message: 'The console runs in the browser: no Node modules.' })),
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
