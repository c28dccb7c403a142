import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { TokenSigner, type AccessToken } from '@ecom/auth';
import { DUMMY_HASH, passwordMatches } from '../accounts/password';
import { emailKeyOf } from '../accounts/user.schema';
import { UsersRepository } from '../accounts/users.repository';
import { ChallengeRequired, LOGIN_CHALLENGE, type LoginChallenge } from './login-challenge';
import { LoginRateLimiter } from './login-rate-limiter';

export interface LoginAttempt {
  readonly email: string;
  readonly password: string;
  /** the client address as fastify reads it (trusted proxies' X-Forwarded-For only) */
  readonly ip: string;
  /** the token of a passed challenge, for an account under attack */
  readonly challengeToken?: string;
}

@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly signer: TokenSigner,
    private readonly limiter: LoginRateLimiter,
    @Inject(LOGIN_CHALLENGE) private readonly challenge: LoginChallenge,
  ) {}

  /**
   * one answer for an unknown email and a wrong password, so accounts cannot be probed: both take the
   * same path, count the same failures and check a hash. an unknown email can be under attack too.
   */
  async login({ email, password, ip, challengeToken }: LoginAttempt): Promise<AccessToken> {
    const account = await this.limiter.peek(email, ip);
    if (account.underAttack) await this.passChallenge({ email: emailKeyOf(email), recentFailures: account.failures }, ip, challengeToken);
    const attempt = await this.limiter.count(email, ip);
    let user;
    try {
      user = await this.users.findByEmail(email);
    } catch (e) {
      await this.limiter.undo(attempt);
      throw e;
    }
    const ok = await passwordMatches(user?.passwordHash ?? DUMMY_HASH, password);
    // a failure was counted when the attempt was let through: nothing more to write
    if (!user || !ok) throw new UnauthorizedException('wrong email or password');
    await this.limiter.succeeded(attempt);
    return this.signer.sign({
      sub: user._id,
      role: user.role,
      email: user.email,
    });
  }

  private async passChallenge(account: { email: string; recentFailures: number }, ip: string, token: string | undefined): Promise<void> {
    if (!(await this.challenge.required(account))) return;
    if (token === undefined || token === '') throw new ChallengeRequired(this.challenge.kind, false);
    if (!(await this.challenge.verify(token, ip))) throw new ChallengeRequired(this.challenge.kind, true);
  }
}
