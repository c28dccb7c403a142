import { ConfigValidationError, loadConfig } from '../define-config';
import { kafkaConfig, type KafkaDefaults } from './kafka.config';

const fetchWait = (env: Record<string, string>, defaults?: KafkaDefaults) =>
  loadConfig([kafkaConfig('probe', defaults)], env).kafka.fetchWaitMs;

describe('kafkaConfig: KAFKA_FETCH_WAIT_MS', () => {
  it('answers a fetch with the first message unless the service or the variable says otherwise', () => {
    expect(fetchWait({})).toBe(0);
    expect(fetchWait({}, { fetchWaitMs: 100 })).toBe(100);
    expect(fetchWait({ KAFKA_FETCH_WAIT_MS: '0' }, { fetchWaitMs: 100 })).toBe(0);
    expect(fetchWait({ KAFKA_FETCH_WAIT_MS: '250' })).toBe(250);
  });

  it('refuses a wait past the heartbeats, a negative one, or a fraction, by name', () => {
    expect(() => fetchWait({ KAFKA_FETCH_WAIT_MS: '5000' })).toThrow(ConfigValidationError);
    expect(() => fetchWait({ KAFKA_FETCH_WAIT_MS: '-1' })).toThrow(/KAFKA_FETCH_WAIT_MS: must be between 0 and 1000/);
    expect(() => fetchWait({ KAFKA_FETCH_WAIT_MS: '2.5' })).toThrow(/KAFKA_FETCH_WAIT_MS: must be a whole number/);
  });
});
