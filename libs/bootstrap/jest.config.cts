module.exports = {
  displayName: 'bootstrap',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    // swagger ui is served by @fastify/static, which requires the esm-only content-disposition 3.
    // node 20.19+ loads it natively; jest's module loader cannot, so compile that one package to cjs.
    '/node_modules/content-disposition/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/libs/bootstrap',
};
