// offline checks of what the project delivers: images, kubernetes manifests, compose, the pipeline
module.exports = {
  displayName: 'delivery-check',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testTimeout: 120_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
};
