import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** the repository root */
export const ROOT = resolve(__dirname, '../../../..');

/** where ensure-tools.sh put the checkers (same rules as the script) */
export function toolsBin(): string {
  const home =
    process.env['ECOM_TOOLS_HOME'] ??
    (process.getuid?.() === 0 ? '/var/cache/ecom-tools' : join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'ecom-tools'));
  return join(home, 'bin');
}

/** the operators' CRDs as JSON schemas (ensure-tools.sh crd-schemas), beside the bin folder */
export function crdSchemasDir(): string {
  return join(toolsBin(), '..', 'crd-schemas');
}

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** runs an installed checker; a missing one fails with what to run */
export function tool(name: string, args: readonly string[], opts: { cwd?: string; input?: string } = {}): ToolResult {
  const path = join(toolsBin(), name);
  if (!existsSync(path)) throw new Error(`${name} is not installed in ${toolsBin()}: run \`bash tools/delivery-check/ensure-tools.sh\``);
  const r = spawnSync(path, [...args], { cwd: opts.cwd ?? ROOT, input: opts.input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}
