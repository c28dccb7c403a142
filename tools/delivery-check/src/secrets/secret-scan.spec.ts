// the secret scan: gitleaks (its own rules, plus the exceptions in .gitleaks.toml) over the working
// tree, committed or not, so a private key or a credential fails npm test instead of landing.
// the scan runs with --redact: a finding is reported by file, line and rule, never by its value.
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, tool } from '../support/tools';

const CONFIG = join(ROOT, '.gitleaks.toml');
/** the one file that may hold a private key: a development key that was published long ago */
const PUBLISHED_DEV_KEY = 'apps/platform-e2e/src/support/published-dev-key.ts';

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
}

/** gitleaks over a directory, with paths relative to it (as the config's path rules expect) */
function scan(dir: string): Finding[] {
  const args = ['dir', '.', '--config', CONFIG, '--redact', '--no-banner', '--no-color', '--log-level', 'warn'];
  // exit 0 with findings, so that a non-zero exit means gitleaks itself failed (a bad config, say);
  // inline `gitleaks:allow` comments are not honored: every exception is in .gitleaks.toml
  args.push('--ignore-gitleaks-allow', '--exit-code', '0', '--report-format', 'json', '--report-path', '-');
  const r = tool('gitleaks', args, { cwd: dir });
  if (r.code !== 0) throw new Error(`gitleaks failed (exit ${r.code}):\n${r.stderr}`);
  const report = JSON.parse(r.stdout) as { File: string; StartLine: number; RuleID: string }[];
  return report.map((f) => ({ file: f.File, line: f.StartLine, rule: f.RuleID }));
}

const describeFinding = (f: Finding) => `${f.file}:${f.line} ${f.rule}`;

function freshPrivateKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** an access key id in AWS's shape, made up on each run: AKIA and 16 distinct base32 characters */
function freshAwsAccessKeyId(): string {
  const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'];
  for (let i = alphabet.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [alphabet[i], alphabet[j]] = [alphabet[j], alphabet[i]];
  }
  return `AKIA${alphabet.slice(0, 16).join('')}`;
}

/** a TypeScript module that exports a PEM, the shape the published key's file takes */
const keyModule = (pem: string) => `// a key\nexport const PRIVATE_KEY_PEM = \`${pem}\`;\n`;

describe('the secret scan', () => {
  it('finds no private key or credential in the working tree', () => {
    const findings = scan(ROOT);
    if (findings.length)
      throw new Error(
        [
          `gitleaks found ${findings.length} secret(s) in the working tree (values not shown):`,
          ...findings.map((f) => `  ${describeFinding(f)}`),
          'take it out: a key that was ever committed is public, so replace it wherever it is used.',
          'a false positive gets a narrow entry in .gitleaks.toml (one path, one rule, one value), with the reason.',
        ].join('\n'),
      );
  });

  describe('on files made for the test', () => {
    let dir: string;
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'secret-scan-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports a freshly generated Ed25519 private key and an AWS access key id', () => {
      put('keys/signing.pem', freshPrivateKey());
      put('deploy/aws.env', `AWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${freshAwsAccessKeyId()}\n`);
      put('notes.md', 'nothing to see here\n');
      expect(scan(dir).map(describeFinding).sort()).toEqual(['deploy/aws.env:2 aws-access-token', 'keys/signing.pem:1 private-key']);
    });

    it('lets a private key through only at the published key path, and nothing else there', () => {
      const pem = freshPrivateKey();
      put(PUBLISHED_DEV_KEY, keyModule(pem));
      put('apps/platform-e2e/src/support/other-key.ts', keyModule(pem));
      put(`${PUBLISHED_DEV_KEY}.bak`, keyModule(pem));
      put(`vendor/${PUBLISHED_DEV_KEY}`, keyModule(pem));
      put('libs/auth/src/published-dev-key.ts', keyModule(pem));
      expect(
        scan(dir)
          .map((f) => `${f.file} ${f.rule}`)
          .sort(),
      ).toEqual([
        'apps/platform-e2e/src/support/other-key.ts private-key',
        `${PUBLISHED_DEV_KEY}.bak private-key`,
        'libs/auth/src/published-dev-key.ts private-key',
        `vendor/${PUBLISHED_DEV_KEY} private-key`,
      ]);

      // the exception is for the private-key rule: a credential in that file is still reported
      put(PUBLISHED_DEV_KEY, `${keyModule(pem)}export const AWS_ACCESS_KEY_ID = '${freshAwsAccessKeyId()}';\n`);
      expect(
        scan(dir)
          .filter((f) => f.file === PUBLISHED_DEV_KEY)
          .map((f) => f.rule),
      ).toEqual(['aws-access-token']);
    });

    it('skips only the ignored build output, caches and local stack data', () => {
      const pem = freshPrivateKey();
      for (const skipped of ['node_modules/x', 'dist/apps/x', '.nx/cache', '.stack/keys', 'coverage/x', 'tmp', 'apps/x/dist'])
        put(`${skipped}/key.pem`, pem);
      for (const scanned of ['distribution', 'apps/x/tmpl', 'stack']) put(`${scanned}/key.pem`, pem);
      expect(
        scan(dir)
          .map((f) => f.file)
          .sort(),
      ).toEqual(['apps/x/tmpl/key.pem', 'distribution/key.pem', 'stack/key.pem']);
    });
  });
});
