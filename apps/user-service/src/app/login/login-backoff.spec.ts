import { accountKeyOf, addressKeyOf, backoffAfter, backoffSchedule, retryAfterSeconds } from './login-backoff';
import { loginLimitKeys } from './login-rate-limiter';

const DEFAULT = { baseMs: 1000, maxMs: 300_000 };

describe('backoffSchedule', () => {
  it('doubles from the base and ends on the cap', () => {
    expect(backoffSchedule(DEFAULT)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000]);
  });

  it('ends on the cap when it is a doubling of the base, without repeating it', () => {
    expect(backoffSchedule({ baseMs: 1000, maxMs: 8000 })).toEqual([1000, 2000, 4000, 8000]);
  });

  it('is the cap alone when the base is the cap', () => {
    expect(backoffSchedule({ baseMs: 5000, maxMs: 5000 })).toEqual([5000]);
  });
});

describe('backoffAfter', () => {
  it('lets the free failures through, then waits 1 s, 2 s, 4 s ... after each further one', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffAfter(n, 5, DEFAULT))).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the cap, however many failures', () => {
    expect(backoffAfter(13, 5, DEFAULT)).toBe(256_000);
    expect(backoffAfter(14, 5, DEFAULT)).toBe(300_000);
    expect(backoffAfter(10_000, 5, DEFAULT)).toBe(300_000);
  });

  it('waits from the first failure when none is free', () => {
    expect(backoffAfter(1, 1, DEFAULT)).toBe(1000);
  });
});

describe('retryAfterSeconds', () => {
  it('rounds up to whole seconds and never says 0', () => {
    expect([1, 999, 1000, 1001, 3999].map(retryAfterSeconds)).toEqual([1, 1, 1, 2, 4]);
    expect(retryAfterSeconds(0)).toBe(1);
  });
});

describe('the counters keys', () => {
  it('are one account whatever the case and surrounding spaces of its email', () => {
    expect(accountKeyOf(' Admin@Example.COM ')).toBe(accountKeyOf('admin@example.com'));
    expect(accountKeyOf('admin@example.com')).not.toBe(accountKeyOf('admin@example.co'));
  });

  it('cannot collide between an account with an address and another account with another address', () => {
    const [pair] = loginLimitKeys('a@x.io:1.2.3.4', '5.6.7.8');
    const [other] = loginLimitKeys('a@x.io', '1.2.3.4:5.6.7.8');
    expect(pair).not.toBe(other);
    expect(pair).toMatch(/^login-fail:pair:[0-9a-f]{32}:5\.6\.7\.8$/);
  });

  it('keep an ipv4 address, also written as an ipv4-mapped ipv6 one', () => {
    expect(addressKeyOf('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKeyOf('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('take an ipv6 address by its /64, however it is written', () => {
    expect(addressKeyOf('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKeyOf('2001:0DB8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(addressKeyOf('64:ff9b::203.0.113.9')).toBe('64:ff9b:0:0::/64');
    expect(addressKeyOf('2001:db8:1:2:3:4:203.0.113.9')).toBe('2001:db8:1:2::/64');
    expect(addressKeyOf('2001:db8:1:3::1')).not.toBe(addressKeyOf('2001:db8:1:2::1'));
  });

  it('keep anything else as it is, and name a missing address', () => {
    expect(addressKeyOf('not-an-ip')).toBe('not-an-ip');
    expect(addressKeyOf(undefined)).toBe('unknown');
  });
});
