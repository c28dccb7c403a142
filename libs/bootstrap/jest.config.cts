// the specs build a whole service, swagger ui included: see tools/jest/esm-packages.cjs
const esm = require('../../tools/jest/esm-packages.cjs');

module.exports = {
  displayName: 'bootstrap',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    ...esm.transform,
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: esm.transformIgnorePatterns,
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/libs/bootstrap',
};
