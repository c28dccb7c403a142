import { ConfigValidationError, loadConfig } from '@ecom/config';
import { notificationsConfig } from './notifications.config';

describe('notificationsConfig', () => {
  it('keeps the newest 100 per user for 30 days, with a 15 s heartbeat, by default', () => {
    expect(loadConfig([notificationsConfig()], {}).notifications).toEqual({
      maxPerUser: 100,
      ttlSeconds: 30 * 24 * 3600,
      heartbeatMs: 15_000,
    });
  });

  it('reads its variables', () => {
    const env = { NOTIFICATIONS_MAX_PER_USER: '5', NOTIFICATIONS_TTL_SECONDS: '3600', NOTIFICATIONS_STREAM_HEARTBEAT_MS: '2000' };
    expect(loadConfig([notificationsConfig()], env).notifications).toEqual({ maxPerUser: 5, ttlSeconds: 3600, heartbeatMs: 2000 });
  });

  it('refuses a cap or ttl out of range, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig([notificationsConfig()], { NOTIFICATIONS_MAX_PER_USER: '0', NOTIFICATIONS_TTL_SECONDS: 'a month' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'NOTIFICATIONS_MAX_PER_USER',
      'NOTIFICATIONS_TTL_SECONDS',
    ]);
  });
});
