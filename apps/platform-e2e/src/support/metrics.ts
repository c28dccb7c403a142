// the services' prometheus endpoints: GET /metrics on the management listener (the http port + 6000,
// moving with <NAME>_PORT as npm start moves it), never on the public port
import type { ServiceName } from './services';
import { settings } from './settings';

/** the services' default management listener: the http port + this (MANAGEMENT_PORT_OFFSET in libs/config) */
const MANAGEMENT_PORT_OFFSET = 6000;

/** e.g. http://127.0.0.1:9001/metrics for user-service */
export const metricsUrl = (service: ServiceName): string =>
  `http://${settings.servicesHost}:${settings.servicePorts[service] + MANAGEMENT_PORT_OFFSET}/metrics`;

/** the text a running service answers on /metrics; throws naming the url and what went wrong */
export async function scrapeText(service: ServiceName): Promise<string> {
  const url = metricsUrl(service);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    throw new Error(`${service}: ${url}: ${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`${service}: ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return text;
}
