import { Injectable, UnauthorizedException } from '@nestjs/common';
import { TokenSigner, type AccessToken } from '@ecom/auth';
import { DUMMY_HASH, passwordMatches } from '../accounts/password';
import { UsersRepository } from '../accounts/users.repository';

@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersRepository,
    private readonly signer: TokenSigner,
  ) {}

  /** one answer for an unknown email and a wrong password, so accounts cannot be probed */
  async login(email: string, password: string): Promise<AccessToken> {
    const user = await this.users.findByEmail(email);
    const ok = await passwordMatches(
      user?.passwordHash ?? DUMMY_HASH,
      password,
    );
    if (!user || !ok)
      throw new UnauthorizedException('wrong email or password');
    return this.signer.sign({
      sub: user._id,
      role: user.role,
      email: user.email,
    });
  }
}
