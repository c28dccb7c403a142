import { ConfigValidationError, loadConfig } from '../define-config';
import { fastifyTrustProxy, httpConfig } from './http.config';

const load = (env: Record<string, string>) => loadConfig([httpConfig(3001)], env).http;

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    load(env);
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('httpConfig', () => {
  it('listens on loopback by default, the management port 6000 above the http port', () => {
    expect(load({})).toEqual({
      host: '127.0.0.1',
      port: 3001,
      trustProxy: ['loopback'],
      management: { host: '127.0.0.1', port: 9001 },
    });
  });

  it('takes the hosts from the environment, as an image sets them', () => {
    expect(load({ HTTP_HOST: '0.0.0.0', MANAGEMENT_HOST: '0.0.0.0' })).toMatchObject({ host: '0.0.0.0', management: { host: '0.0.0.0' } });
  });

  it('moves the management port with HTTP_PORT, unless MANAGEMENT_PORT names one', () => {
    expect(load({ HTTP_PORT: '4101' }).management.port).toBe(10101);
    expect(load({ HTTP_PORT: '4101', MANAGEMENT_PORT: '9100' }).management.port).toBe(9100);
  });

  it('refuses a management port that is out of range or the http port itself', () => {
    expect(problemsOf({ HTTP_PORT: '60000' })).toEqual(['MANAGEMENT_PORT: must be set when HTTP_PORT + 6000 is above 65535']);
    expect(problemsOf({ MANAGEMENT_PORT: '3001' })).toEqual(['MANAGEMENT_PORT: must differ from HTTP_PORT (got "3001")']);
    expect(problemsOf({ MANAGEMENT_PORT: 'metrics' })).toEqual(['MANAGEMENT_PORT: must be a port number (got "metrics")']);
  });

  it('reads HTTP_TRUST_PROXY as a list of addresses, or a whole number as proxy hops', () => {
    expect(load({ HTTP_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(load({ HTTP_TRUST_PROXY: '1' }).trustProxy).toEqual({ hops: 1 });
    expect(load({ HTTP_TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(problemsOf({ HTTP_TRUST_PROXY: '0' })).toEqual(['HTTP_TRUST_PROXY: a hop count must be 1 or more (got "0")']);
  });

  it('gives fastify a hop count as a function of the hop: the peer and the hops - 1 entries before it are proxies', () => {
    const one = fastifyTrustProxy({ hops: 1 });
    if (typeof one !== 'function') throw new Error('expected a function');
    // hop 0 is the peer (the ingress controller), hop 1 the last X-Forwarded-For entry: the client
    expect([one('10.9.9.9', 0), one('10.1.2.3', 1), one('6.6.6.6', 2)]).toEqual([true, false, false]);
    const two = fastifyTrustProxy({ hops: 2 });
    if (typeof two !== 'function') throw new Error('expected a function');
    expect([two('a', 0), two('b', 1), two('c', 2)]).toEqual([true, true, false]);
    expect(fastifyTrustProxy(['loopback'])).toEqual(['loopback']);
  });
});
