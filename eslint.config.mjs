import { readFileSync } from 'node:fs';
import nx from '@nx/eslint-plugin';

// each service's scope (scope:order for order-service), from the one list of services
const { services } = JSON.parse(readFileSync(new URL('./deploy/services.json', import.meta.url), 'utf8'));
const scopes = services.map((s) => `scope:${s.name.replace(/-service$/, '')}`);

// the layers, by type tag (docs/adr/0012-libraries-by-store.md):
//   type:util         cross-cutting nest pieces with no store driver (config, events, http, health, auth, ...)
//   type:data-access  kafka and one library per store (libs/store-*): the only code that loads a driver
//   type:testing      libs/testing: test support, for tests and tools only
// an app imports only its own scope and shared libs; libs never import apps; apps never import apps
function boundaries({ tests }) {
  const testing = tests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/tools/(webpack|jest)/.*\\.cjs$'],
    depConstraints: [
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:data-access', ...testing] },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:util', 'type:data-access', ...testing] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:data-access', 'type:testing'] },
      { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:util', 'type:data-access', 'type:testing'] },
      // the e2e suite is a black box: http through the gateway, no code of ours
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      ...scopes.map((scope) => ({ sourceTag: scope, onlyDependOnLibsWithTags: [scope, 'scope:shared'] })),
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '.stack/**', 'tools/stack/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries({ tests: false })] },
  },
  {
    // tests, and the test support a library ships beside itself (libs/kafka/testing), may use libs/testing
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.spec-helper.ts', '**/test/**/*.ts', 'libs/*/testing/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries({ tests: true })] },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts', '**/*.mts', '**/*.js', '**/*.jsx', '**/*.cjs', '**/*.mjs'],
    // Override or add rules here
    rules: {},
  },
];
