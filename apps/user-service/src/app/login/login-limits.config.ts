import { z } from 'zod';
import { defineConfig, positiveInt, type ConfigValue } from '@ecom/config';

/**
 * how failed logins slow down. nothing locks an account: failures slow the address they come from,
 * per account and across accounts, and an account failing from many addresses is "under attack",
 * when the login challenge hook (a CAPTCHA, if the deployment plugs one in) is asked for
 */
export const loginLimitsConfig = () =>
  defineConfig(
    'loginLimits',
    z
      .object({
        // failures of one account from one address before each further attempt waits
        LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: positiveInt(5),
        // failures from one address, whatever the accounts, before each further attempt waits
        LOGIN_FAILURES_PER_ADDRESS: positiveInt(30),
        // failures of one account, whatever the addresses, that put it under attack
        LOGIN_ACCOUNT_UNDER_ATTACK_AFTER: positiveInt(10),
        // how long a failure is remembered after the last one of the same counter
        LOGIN_FAILURE_MEMORY_MINUTES: positiveInt(15),
        // the first wait; each further failure doubles it, up to the longest
        LOGIN_BACKOFF_BASE_SECONDS: positiveInt(1),
        LOGIN_BACKOFF_MAX_SECONDS: positiveInt(300),
      })
      .superRefine((v, ctx) => {
        if (v.LOGIN_BACKOFF_MAX_SECONDS < v.LOGIN_BACKOFF_BASE_SECONDS)
          ctx.addIssue({ code: 'custom', path: ['LOGIN_BACKOFF_MAX_SECONDS'], message: 'must not be below LOGIN_BACKOFF_BASE_SECONDS' });
      }),
    (v) => ({
      freeFailuresPerAccountAndAddress: v.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
      freeFailuresPerAddress: v.LOGIN_FAILURES_PER_ADDRESS,
      accountUnderAttackAfter: v.LOGIN_ACCOUNT_UNDER_ATTACK_AFTER,
      memoryMs: v.LOGIN_FAILURE_MEMORY_MINUTES * 60_000,
      backoff: { baseMs: v.LOGIN_BACKOFF_BASE_SECONDS * 1000, maxMs: v.LOGIN_BACKOFF_MAX_SECONDS * 1000 },
    }),
  );

export type LoginLimitsConfig = ConfigValue<ReturnType<typeof loginLimitsConfig>>;
