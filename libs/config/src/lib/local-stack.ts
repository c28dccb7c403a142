import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * a file of the local stack (a path under .stack/, e.g. keys/jwt-public.pem), found in the working
 * directory or the nearest folder above it that has one, as git finds .git: npm start and nx serve
 * run from the repository root, jest from a project's folder. no image and no pod has a .stack.
 */
export function localStackFile(path: string, from = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, '.stack', path);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
