// the jest config of every project's `integration` target: real servers from the local stack
// (npm run stack -- up), tests under <project>/test/**/*.int-spec.ts, one file at a time.
const { basename, relative } = require('node:path');

module.exports = function integrationConfig(projectDir) {
  return {
    displayName: `${basename(projectDir)}:integration`,
    rootDir: projectDir,
    preset: relative(projectDir, `${__dirname}/../../jest.preset.js`),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
    testTimeout: 120_000,
    transform: {
      // swagger ui is served by @fastify/static, which requires the esm-only content-disposition 3;
      // node loads it natively, jest's module loader cannot, so compile that one package to cjs
      '/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
      '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    },
    transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
    moduleFileExtensions: ['ts', 'js', 'html'],
  };
};
