// output for the npm scripts: one prefix, colors only on a terminal (never in CI), and a
// UserError whose message says what to fix. main() turns it into a short message and exit 1.
import process from 'node:process';

const useColor = process.stdout.isTTY && !process.env.CI && !process.env.NO_COLOR;
const paint = (code) => (s) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : String(s));
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const bold = paint(1);

let prefix = '[ecom]';
export const setPrefix = (p) => (prefix = `[${p}]`);

export const step = (msg) => console.log(`${dim(prefix)} ${msg}`);
export const ok = (msg) => console.log(`${dim(prefix)} ${green(msg)}`);
export const warn = (msg) => console.log(`${dim(prefix)} ${yellow(msg)}`);
export const error = (msg) => console.error(`${dim(prefix)} ${red(`error: ${msg}`)}`);

/** an expected failure: its message alone tells the user what went wrong and what to do */
export class UserError extends Error {}

/** runs an async main; UserError prints its message, anything else its stack; sets the exit code */
export function main(fn) {
  fn().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (e) => {
      error(e instanceof UserError ? e.message : (e?.stack ?? String(e)));
      process.exitCode = 1;
    },
  );
}

export const seconds = (ms) => `${Math.round(ms / 1000)} s`;

/** prints rows as left-aligned columns, the first row as a header */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  rows.forEach((r, n) => {
    const line = r
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
    console.log(n === 0 ? bold(line) : line);
  });
}
