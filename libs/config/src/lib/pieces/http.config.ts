import { z } from 'zod';
import { defineConfig, type ConfigValue } from '../define-config';
import { port, text } from '../env';

/** the management listener's port, unless MANAGEMENT_PORT says otherwise: the http port + this (3001 -> 9001) */
export const MANAGEMENT_PORT_OFFSET = 6000;

/**
 * whose X-Forwarded-For to believe. a list: the peers (proxy-addr names or cidrs) trusted as proxies,
 * whatever they forward; hops: how many proxies in front of the service append to the header, so the
 * entry that many places from its end is the client (what the last proxy saw), and anything a client
 * wrote further left is ignored
 */
export type TrustProxy = readonly string[] | { readonly hops: number };

const HOPS = /^\d+$/;

export const httpConfig = (defaultPort: number) =>
  defineConfig(
    'http',
    z
      .object({
        // loopback unless told: a local run is not reachable from the network. images set 0.0.0.0
        HTTP_HOST: text('127.0.0.1'),
        HTTP_PORT: port(defaultPort),
        // whose X-Forwarded-For to believe (the gateway, the ingress): proxy-addr names or cidrs, or a
        // whole number of proxy hops (1: the ingress controller, whose last entry is the peer it saw). the
        // client ip drives rate limits, so it must not be taken from anyone who sends the header
        HTTP_TRUST_PROXY: text('loopback').refine((v) => !HOPS.test(v) || Number(v) >= 1, 'a hop count must be 1 or more'),
        // /metrics, /docs and the detailed readiness: never on the public listener
        MANAGEMENT_HOST: text('127.0.0.1'),
        MANAGEMENT_PORT: z.coerce
          .number({ error: 'must be a port number' })
          .int('must be a whole number')
          .min(1, 'must be between 1 and 65535')
          .max(65535, 'must be between 1 and 65535')
          .optional(),
      })
      .superRefine((v, ctx) => {
        const management = v.MANAGEMENT_PORT ?? v.HTTP_PORT + MANAGEMENT_PORT_OFFSET;
        if (management > 65535)
          ctx.addIssue({
            code: 'custom',
            path: ['MANAGEMENT_PORT'],
            message: `must be set when HTTP_PORT + ${MANAGEMENT_PORT_OFFSET} is above 65535`,
          });
        else if (management === v.HTTP_PORT)
          ctx.addIssue({ code: 'custom', path: ['MANAGEMENT_PORT'], message: 'must differ from HTTP_PORT' });
      }),
    (v) => ({
      host: v.HTTP_HOST,
      port: v.HTTP_PORT,
      trustProxy: parseTrustProxy(v.HTTP_TRUST_PROXY),
      management: { host: v.MANAGEMENT_HOST, port: v.MANAGEMENT_PORT ?? v.HTTP_PORT + MANAGEMENT_PORT_OFFSET },
    }),
  );

function parseTrustProxy(value: string): TrustProxy {
  if (HOPS.test(value)) return { hops: Number(value) };
  return value.split(',').map((s) => s.trim());
}

/**
 * the trustProxy option for fastify. a hop count becomes a function of the hop: fastify 5.12 refuses
 * a plain number (it trusts nothing then), and proxy-addr's own reading of a number is this function
 */
export function fastifyTrustProxy(trust: TrustProxy): string[] | ((address: string, hop: number) => boolean) {
  if ('hops' in trust) {
    const { hops } = trust;
    return (_address, hop) => hop < hops;
  }
  return [...(trust as readonly string[])];
}

export type HttpConfig = ConfigValue<ReturnType<typeof httpConfig>>;
