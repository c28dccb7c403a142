import { Injectable, UnauthorizedException } from '@nestjs/common';
import { TokenSigner, type AccessToken } from '@ecom/auth';
import { DUMMY_HASH, passwordMatches } from '../accounts/password';
import { UsersRepository } from '../accounts/users.repository';
import { LoginRateLimiter } from './login-rate-limiter';

@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly signer: TokenSigner,
    private readonly limiter: LoginRateLimiter,
  ) {}

  /** one answer for an unknown email and a wrong password, so accounts cannot be probed */
  async login(email: string, password: string, ip: string): Promise<AccessToken> {
    await this.limiter.attempt(ip, email);
    const user = await this.users.findByEmail(email);
    const ok = await passwordMatches(user?.passwordHash ?? DUMMY_HASH, password);
    if (!user || !ok) {
      await this.limiter.failed(email);
      throw new UnauthorizedException('wrong email or password');
    }
    return this.signer.sign({
      sub: user._id,
      role: user.role,
      email: user.email,
    });
  }
}
