import { configProblems, ConfigValidationError, loadConfig } from '@ecom/config';
import { loginLimitsConfig } from './login-limits.config';

describe('loginLimitsConfig', () => {
  it('slows down after 5 failures per account and address and 30 per address, from 1 s to 5 min, remembered 15 min', () => {
    expect(loadConfig([loginLimitsConfig()], {}).loginLimits).toEqual({
      freeFailuresPerAccountAndAddress: 5,
      freeFailuresPerAddress: 30,
      accountUnderAttackAfter: 10,
      memoryMs: 15 * 60_000,
      backoff: { baseMs: 1000, maxMs: 300_000 },
    });
  });

  it('reads every default from its variable', () => {
    const env = {
      LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: '3',
      LOGIN_FAILURES_PER_ADDRESS: '100',
      LOGIN_ACCOUNT_UNDER_ATTACK_AFTER: '50',
      LOGIN_FAILURE_MEMORY_MINUTES: '60',
      LOGIN_BACKOFF_BASE_SECONDS: '2',
      LOGIN_BACKOFF_MAX_SECONDS: '600',
    };
    expect(loadConfig([loginLimitsConfig()], env).loginLimits).toEqual({
      freeFailuresPerAccountAndAddress: 3,
      freeFailuresPerAddress: 100,
      accountUnderAttackAfter: 50,
      memoryMs: 60 * 60_000,
      backoff: { baseMs: 2000, maxMs: 600_000 },
    });
  });

  it('refuses counts that are not whole numbers above 0, and a cap below the base, naming each variable', () => {
    const problems = configProblems([loginLimitsConfig()], {
      LOGIN_FAILURES_PER_ADDRESS: '0',
      LOGIN_FAILURE_MEMORY_MINUTES: '1.5',
      LOGIN_ACCOUNT_UNDER_ATTACK_AFTER: 'many',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'LOGIN_ACCOUNT_UNDER_ATTACK_AFTER',
      'LOGIN_FAILURES_PER_ADDRESS',
      'LOGIN_FAILURE_MEMORY_MINUTES',
    ]);
    const cap = configProblems([loginLimitsConfig()], { LOGIN_BACKOFF_BASE_SECONDS: '10', LOGIN_BACKOFF_MAX_SECONDS: '5' });
    expect(cap).toEqual([expect.stringMatching(/^LOGIN_BACKOFF_MAX_SECONDS: must not be below LOGIN_BACKOFF_BASE_SECONDS/)]);
  });
});
