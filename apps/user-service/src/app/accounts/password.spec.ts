import { DUMMY_HASH, hashPassword, passwordMatches } from './password';

describe('password hashing', () => {
  it('stores argon2id hashes that match only the right password', async () => {
    const hashed = await hashPassword('correct-horse-42');
    expect(hashed).toMatch(/^\$argon2id\$/);
    expect(hashed).not.toContain('correct-horse-42');
    await expect(passwordMatches(hashed, 'correct-horse-42')).resolves.toBe(true);
    await expect(passwordMatches(hashed, 'correct-horse-43')).resolves.toBe(false);
  });

  it('has a well-formed dummy hash, so unknown accounts cost a real verification', async () => {
    await expect(passwordMatches(DUMMY_HASH, 'anything')).resolves.toBe(false);
    expect(DUMMY_HASH).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('treats a corrupt hash as a mismatch, not a crash', async () => {
    await expect(passwordMatches('not-a-hash', 'x')).resolves.toBe(false);
  });
});
