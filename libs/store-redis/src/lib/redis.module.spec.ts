import { StoreUnavailable } from '@ecom/resilience';
import { ensureRedisConnected } from './redis.module';

describe('ensureRedisConnected', () => {
  it('lets commands through on a ready connection', () => {
    expect(() => ensureRedisConnected({ status: 'ready' })).not.toThrow();
  });

  it.each(['connecting', 'reconnecting', 'close', 'end', 'wait'] as const)('fails at once as StoreUnavailable while %s', (status) => {
    expect(() => ensureRedisConnected({ status })).toThrow(StoreUnavailable);
  });
});
