/**
 * loads @nestjs/common without the two Intl.DateTimeFormat objects its loggers build as their modules load
 * (services/logger.service.js and console-logger.service.js, at module scope, in Nest 11 and 12). building
 * one is what first pages in ICU, node's locale data: about 6 MB of the binary's read-only pages and 2 MB of
 * malloc'd memory in every service, 6-9 MB of each one's idle RSS (docs/performance.md, change 51). without
 * them an idle service holds 0.9 MB of ICU's 31.6 MB of data, and 5.1 MB with one built. the services log
 * through pino, so Nest's timestamp is formatted only if its console logger ever prints; each stand-in
 * builds its real format then.
 *
 * import it first in a service's main.ts: once anything has loaded @nestjs/common, it changes nothing.
 * Intl.DateTimeFormat is itself again as soon as @nestjs/common has loaded.
 */
const RealDateTimeFormat = Intl.DateTimeFormat;

function deferredDateTimeFormat(...args: ConstructorParameters<typeof Intl.DateTimeFormat>): Intl.DateTimeFormat {
  let real: Intl.DateTimeFormat | undefined;
  const built = (): Intl.DateTimeFormat => (real ??= new RealDateTimeFormat(...args));
  return new Proxy({} as Intl.DateTimeFormat, {
    get(_, key) {
      const value: unknown = Reflect.get(built(), key);
      return typeof value === 'function' ? value.bind(built()) : value;
    },
  });
}

const intl = Intl as { DateTimeFormat: typeof Intl.DateTimeFormat };
intl.DateTimeFormat = deferredDateTimeFormat as unknown as typeof Intl.DateTimeFormat;
try {
  // a require, not an import: imports are hoisted above the lines that set the stand-in
  require('@nestjs/common');
} finally {
  intl.DateTimeFormat = RealDateTimeFormat;
}
export {};
