// the platform from the outside: every request goes through the gateway to the five running
// services (npm start). E2E_BASE_URL points elsewhere; the default is the local gateway.
module.exports = {
  displayName: 'platform-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
  // the kafka client of the revocation suite keeps timers a moment after disconnecting; jest would
  // wait for them, where nx's old jest executor exited once the run was over
  forceExit: true,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
};
