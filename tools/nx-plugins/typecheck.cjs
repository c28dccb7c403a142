// @ts-check
// a `typecheck` target for every project with a TypeScript config: `tsc --noEmit` over its sources
// and its tests (unit and integration specs), so `npm test`'s first phase catches a type error in a
// test before the servers are started for it. a project whose tsconfig.json only references others
// is checked through those; one with a single tsconfig.json is checked through it.
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { createNodesFromFiles } = require('@nx/devkit');

const SPLIT_CONFIGS = ['tsconfig.app.json', 'tsconfig.lib.json', 'tsconfig.spec.json'];

/** the configs to check in a project: its split ones, or its tsconfig.json when that names files itself */
function configsOf(workspaceRoot, root) {
  const split = SPLIT_CONFIGS.filter((c) => existsSync(join(workspaceRoot, root, c)));
  if (split.length) return split;
  const main = JSON.parse(readFileSync(join(workspaceRoot, root, 'tsconfig.json'), 'utf8'));
  return main.files?.length === 0 && main.include?.length === 0 ? [] : ['tsconfig.json'];
}

/** @type {import('@nx/devkit').CreateNodesV2} */
const createNodesV2 = [
  '{apps,libs,tools}/*/tsconfig.json',
  (configFiles, options, context) =>
    createNodesFromFiles(
      (file, _options, ctx) => {
        const root = dirname(file);
        const isProject = existsSync(join(ctx.workspaceRoot, root, 'project.json'));
        const configs = isProject ? configsOf(ctx.workspaceRoot, root) : [];
        if (!configs.length) return {};
        return {
          projects: {
            [root]: {
              targets: {
                typecheck: {
                  executor: 'nx:run-commands',
                  options: { cwd: root, commands: configs.map((c) => `tsc -p ${c} --noEmit`), parallel: false },
                  cache: true,
                  // the project's files and those of the projects it imports
                  inputs: ['default', '^default', { externalDependencies: ['typescript'] }],
                  outputs: [],
                  metadata: { description: `tsc --noEmit over ${configs.join(', ')}` },
                },
              },
            },
          },
        };
      },
      configFiles,
      options,
      context,
    ),
];

module.exports = { createNodesV2, createNodes: createNodesV2 };
