import { ConfigValidationError, loadConfig } from '@ecom/config';
import { adminSeedConfig, LOCAL_ADMIN } from './admin-seed.config';

describe('adminSeedConfig', () => {
  it('uses the documented local admin by default', () => {
    expect(loadConfig([adminSeedConfig()], {}).adminSeed).toEqual(LOCAL_ADMIN);
  });

  it('refuses the local defaults in production, naming both variables', () => {
    let error: unknown;
    try {
      loadConfig([adminSeedConfig()], { NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems.map((p) => p.split(':')[0]).sort()).toEqual(['ADMIN_EMAIL', 'ADMIN_PASSWORD']);
  });

  it('accepts an admin of its own in production', () => {
    const env = {
      NODE_ENV: 'production',
      ADMIN_EMAIL: 'ops@shop.example',
      ADMIN_PASSWORD: 'a-long-secret-42',
    };
    expect(loadConfig([adminSeedConfig()], env).adminSeed).toEqual({
      email: 'ops@shop.example',
      password: 'a-long-secret-42',
    });
  });
});
