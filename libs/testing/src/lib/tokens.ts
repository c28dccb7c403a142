import { TokenSigner, type Role } from '@ecom/auth';
import { jwtSignConfig, jwtVerifyConfig, loadConfig, readEnv } from '@ecom/config';

/** a bearer token as user-service would issue it, signed with the key the environment configures */
export async function bearerFor(role: Role, sub = `test-${role}`): Promise<string> {
  const { jwtSign, jwtVerify } = loadConfig([jwtSignConfig(), jwtVerifyConfig()], readEnv());
  const signer = new TokenSigner({
    privateKey: jwtSign.privateKey,
    ttlSeconds: 600,
    issuer: jwtVerify.issuer,
    audience: jwtVerify.audience,
  });
  return `Bearer ${(await signer.sign({ sub, role })).accessToken}`;
}
