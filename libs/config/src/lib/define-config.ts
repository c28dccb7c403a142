import { registerAs } from '@nestjs/config';
import type { ConfigType } from '@nestjs/config';
import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/**
 * one piece of typed config: the env variables it reads (a zod object keyed by
 * variable name, so every issue names its variable) and the typed value it maps to.
 */
export interface ConfigPiece<K extends string = string, S extends z.ZodObject = z.ZodObject, T = unknown> {
  readonly key: K;
  readonly schema: S;
  readonly map: (vars: z.infer<S>) => T;
}

export function defineConfig<K extends string, S extends z.ZodObject, T>(
  key: K,
  schema: S,
  map: (vars: z.infer<S>) => T,
): ConfigPiece<K, S, T> {
  return { key, schema, map };
}

export type ConfigValue<P> = P extends ConfigPiece<string, z.ZodObject, infer T> ? T : never;
export type ConfigOf<P extends readonly ConfigPiece[]> = {
  [I in P[number] as I['key']]: ConfigValue<I>;
};

export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

/** validates every piece and throws one error that lists every problem, by variable name */
export function loadConfig<const P extends readonly ConfigPiece[]>(pieces: P, env: Env): ConfigOf<P> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const piece of pieces) {
    const res = piece.schema.safeParse(env);
    if (!res.success) {
      for (const issue of res.error.issues) {
        const name = String(issue.path[0] ?? piece.key);
        const got = env[name];
        problems.push(`${name}: ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`);
      }
      continue;
    }
    out[piece.key] = piece.map(res.data);
  }
  if (problems.length > 0) throw new ConfigValidationError([...new Set(problems)]);
  return out as ConfigOf<P>;
}

/** what loadConfig reports for an environment, by variable; [] when it loads */
export function configProblems(pieces: readonly ConfigPiece[], env: Env): readonly string[] {
  try {
    loadConfig(pieces, env);
    return [];
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
}

/** the nest side: one registerAs namespace per piece, injectable with @Inject(configToken(piece)) */
export function registerPieces(values: Record<string, unknown>) {
  return Object.entries(values).map(([key, value]) => registerAs(key, () => value as Record<string, unknown>));
}

export type { ConfigType };
