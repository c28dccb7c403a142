import { hash, verify } from '@node-rs/argon2';

// argon2id with the library's defaults (19 MiB, 2 passes): owasp's minimum recommendation
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function passwordMatches(hashed: string, password: string): Promise<boolean> {
  return verify(hashed, password).catch(() => false);
}

/** checked against nothing when an account does not exist, so a login takes as long either way */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$zL6ZB0FjZLpvXBafBi45ng$fUI5fvPEF5K1uOZxTSlCUzDoztZd0D6mjyRe3NQFuRM';
