import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localStackFile } from './local-stack';

describe('localStackFile', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'local-stack-'));
    mkdirSync(join(root, '.stack/keys'), { recursive: true });
    writeFileSync(join(root, '.stack/keys/jwt-public.pem'), 'pem');
    mkdirSync(join(root, 'apps/user-service/src'), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the file from the repository root', () => {
    expect(localStackFile('keys/jwt-public.pem', root)).toBe(join(root, '.stack/keys/jwt-public.pem'));
  });

  it('finds it from a project folder below the root, as jest runs', () => {
    expect(localStackFile('keys/jwt-public.pem', join(root, 'apps/user-service/src'))).toBe(join(root, '.stack/keys/jwt-public.pem'));
  });

  it('finds nothing where no folder above has it', () => {
    expect(localStackFile('keys/jwt-private.pem', join(root, 'apps'))).toBeUndefined();
    expect(localStackFile('keys/jwt-public.pem', tmpdir())).toBeUndefined();
  });
});
