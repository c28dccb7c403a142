import { configProblems, ConfigValidationError, loadConfig } from '@ecom/config';
import { adminSeedConfig, LOCAL_ADMIN } from './admin-seed.config';

describe('adminSeedConfig', () => {
  it('uses the documented local admin by default on a local stack', () => {
    expect(loadConfig([adminSeedConfig({ localStack: true })], {}).adminSeed).toEqual(LOCAL_ADMIN);
  });

  it('has no default anywhere else, whatever NODE_ENV says, and says what to set', () => {
    for (const env of [{}, { NODE_ENV: 'staging' }, { NODE_ENV: 'Production' }]) {
      const problems = configProblems([adminSeedConfig({ localStack: false })], env);
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['ADMIN_EMAIL', 'ADMIN_PASSWORD']);
      expect(problems.join('\n')).toContain('must be set');
    }
  });

  it('refuses the local defaults in production, even when given explicitly, naming both variables', () => {
    for (const localStack of [true, false]) {
      const problems = configProblems([adminSeedConfig({ localStack })], {
        NODE_ENV: 'production',
        ADMIN_EMAIL: LOCAL_ADMIN.email,
        ADMIN_PASSWORD: LOCAL_ADMIN.password,
      });
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['ADMIN_EMAIL', 'ADMIN_PASSWORD']);
    }
  });

  it('accepts an admin of its own', () => {
    const env = { NODE_ENV: 'production', ADMIN_EMAIL: 'ops@shop.example', ADMIN_PASSWORD: 'a-long-secret-42' };
    expect(loadConfig([adminSeedConfig({ localStack: false })], env).adminSeed).toEqual({
      email: 'ops@shop.example',
      password: 'a-long-secret-42',
    });
    expect(configProblems([adminSeedConfig({ localStack: false })], { ADMIN_EMAIL: 'ops@shop.example', ADMIN_PASSWORD: 'short' })).toEqual([
      expect.stringMatching(/^ADMIN_PASSWORD.*at least 10 characters/),
    ]);
  });
});
