// which variables a service needs set when it runs in production, derived from its config pieces
// (libs/config and apps/<service>/src/app/*.config.ts), and which of them a deployment leaves out.
// nothing here is kubernetes-specific: a compose service's environment is checked the same way,
// missingVariables(requiredInProduction(pieces).map((v) => v.name), Object.keys(environment)).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configProblems, type ConfigPiece, type Env } from '@ecom/config';

export { configProblems };
import type { z } from 'zod';
import { ROOT } from '../support/tools';

export interface ConfigVariable {
  readonly name: string;
  /** the key of the piece that reads it */
  readonly piece: string;
  readonly hasDefault: boolean;
  /** the parsed default, when there is one */
  readonly fallback?: unknown;
}

/** every variable the pieces read, and whether (and to what) it defaults: each field parses `undefined` */
export function variablesOf(pieces: readonly ConfigPiece[]): ConfigVariable[] {
  return pieces.flatMap((piece) =>
    Object.entries(piece.schema.shape).map(([name, field]) => {
      const parsed = (field as z.ZodType).safeParse(undefined);
      return { name, piece: piece.key, hasDefault: parsed.success, ...(parsed.success ? { fallback: parsed.data } : {}) };
    }),
  );
}

/** a default that names the machine itself; in a pod that is the pod, where no store runs */
export const LOCAL_ADDRESS = /\blocalhost\b|\b127\.0\.0\.1\b|\bloopback\b|\[::1\]/i;

export interface RequiredVariable {
  readonly name: string;
  readonly reasons: readonly string[];
}

/** runs fn from an empty directory: config finds none of the local stack's files there, as in a pod */
export function inEmptyDirectory<T>(fn: () => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'config-'));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
}

const mentions = (text: string, name: string) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(text);

/**
 * the variables a production deployment must set, read off the config code itself:
 * - NODE_ENV: production is what makes the pieces refuse their development defaults;
 * - every variable without a default;
 * - every variable loadConfig(pieces, { NODE_ENV: 'production' }) names in a problem: the development
 *   JWT keys, the local admin account, whatever a piece refuses in production next;
 * - every variable whose default points at localhost, 127.0.0.1 or loopback.
 * (zod skips a piece's refinements while one of its fields is missing: a production refusal in a piece
 * that also has a variable without a default shows up once that variable is set.)
 */
export function requiredInProduction(pieces: readonly ConfigPiece[]): RequiredVariable[] {
  const reasons = new Map<string, string[]>();
  const add = (name: string, reason: string) => reasons.set(name, [...(reasons.get(name) ?? []), reason]);
  const vars = variablesOf(pieces);
  const names = [...new Set(vars.map((v) => v.name))];
  const withoutDefault = new Set(vars.filter((v) => !v.hasDefault).map((v) => v.name));

  if (names.includes('NODE_ENV')) add('NODE_ENV', 'must be production');
  for (const name of withoutDefault) add(name, 'has no default');
  for (const v of vars) {
    if (v.hasDefault && v.fallback !== undefined && LOCAL_ADDRESS.test(JSON.stringify(v.fallback)))
      add(v.name, `its default (${JSON.stringify(v.fallback)}) points at the pod itself`);
  }
  // loaded as in a pod: from a directory without the local stack's files (.stack/keys)
  for (const problem of inEmptyDirectory(() => configProblems(pieces, { NODE_ENV: 'production' }))) {
    // X_FILE is the other way to give X (a mounted secret): a problem naming both asks for either
    const named = names.filter((n) => mentions(problem, n)).filter((n, _, all) => !(n.endsWith('_FILE') && all.includes(n.slice(0, -5))));
    if (named.length === 0) throw new Error(`cannot tell which variable this production problem is about: ${problem}`);
    for (const n of named) if (!withoutDefault.has(n)) add(n, `production refuses its default: ${problem}`);
  }
  return [...reasons]
    .map(([name, rs]) => ({ name, reasons: [...new Set(rs)] }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** the required names that are not provided, sorted; provided may come from a pod or a compose service */
export function missingVariables(required: readonly string[], provided: readonly string[]): string[] {
  const have = new Set(provided);
  return [...new Set(required.filter((name) => !have.has(name)))].sort();
}

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * the config pieces of a service: apps/<name>/src/app/<short>.config.ts exports `<short>Config`
 * (user-service: user.config.ts, userConfig)
 */
export function servicePieces(service: string): readonly ConfigPiece[] {
  const short = service.replace(/-service$/, '');
  const file = join(ROOT, 'apps', service, 'src', 'app', `${short}.config`);
  // loaded by path at test time: module boundaries keep tools from importing apps, rightly for code
  // that ships, but this check is about exactly what the app declares, so it reads the app's own file
  const mod = require(file) as Record<string, unknown>;
  const pieces = mod[`${camel(short)}Config`];
  if (!Array.isArray(pieces)) throw new Error(`${file}.ts exports no ${camel(short)}Config array of config pieces`);
  return pieces as ConfigPiece[];
}
