import type { TokenSigner } from '@ecom/auth';
import { StoreUnavailable } from '@ecom/resilience';
import { hashPassword } from '../accounts/password';
import type { UserDocument } from '../accounts/user.schema';
import type { UsersRepository } from '../accounts/users.repository';
import { ChallengeRequired, NoLoginChallenge, type LoginChallenge } from './login-challenge';
import { TooManyAttempts, type CountedAttempt, type LoginRateLimiter } from './login-rate-limiter';
import { LoginService } from './login.service';

// the order of a login's steps, with the stores faked: redis is login-limits.int-spec.ts's

const ATTEMPT: CountedAttempt = { keys: ['pair', 'address', 'account'], pairUntil: 0, addressUntil: 0 };

async function setUp({ underAttack = false, challenge = new NoLoginChallenge() as LoginChallenge, findFails = false } = {}) {
  const steps: string[] = [];
  const user = { _id: 'u1', email: 'Ann@x.io', role: 'customer', passwordHash: await hashPassword('right-password') } as UserDocument;
  const limiter = {
    peek: jest.fn(async () => (steps.push('peek'), { failures: underAttack ? 12 : 0, underAttack })),
    count: jest.fn(async () => (steps.push('count'), ATTEMPT)),
    succeeded: jest.fn(async () => void steps.push('succeeded')),
    undo: jest.fn(async () => void steps.push('undo')),
  };
  const users = {
    findByEmail: jest.fn(async (email: string) => {
      steps.push('find');
      if (findFails) throw new StoreUnavailable('mongodb');
      return email.toLowerCase() === 'ann@x.io' ? user : null;
    }),
  };
  const signer = { sign: jest.fn(async () => ({ accessToken: 't', tokenType: 'Bearer', expiresIn: 900 })) };
  const service = new LoginService(
    users as unknown as UsersRepository,
    signer as unknown as TokenSigner,
    limiter as unknown as LoginRateLimiter,
    challenge,
  );
  return { service, steps, limiter };
}

const captcha = (valid: string): LoginChallenge & { required: jest.Mock; verify: jest.Mock } => ({
  kind: 'captcha',
  required: jest.fn(() => true),
  verify: jest.fn((token: string) => token === valid),
});

describe('LoginService', () => {
  it('counts the attempt before checking the password, and takes it back when the password is right', async () => {
    const { service, steps, limiter } = await setUp();
    await expect(service.login({ email: 'ANN@x.io', password: 'right-password', ip: '10.0.0.1' })).resolves.toMatchObject({
      accessToken: 't',
    });
    expect(steps).toEqual(['peek', 'count', 'find', 'succeeded']);
    expect(limiter.succeeded).toHaveBeenCalledWith(ATTEMPT);
  });

  it('leaves the failure counted on a wrong password and on an unknown email alike, writing nothing more', async () => {
    for (const [email, password] of [
      ['ann@x.io', 'wrong-password'],
      ['nobody@x.io', 'right-password'],
    ]) {
      const { service, steps } = await setUp();
      await expect(service.login({ email, password, ip: '10.0.0.1' })).rejects.toMatchObject({
        status: 401,
        message: 'wrong email or password',
      });
      expect(steps).toEqual(['peek', 'count', 'find']);
    }
  });

  it('takes the attempt back when the account store fails, and passes the failure on', async () => {
    const { service, steps } = await setUp({ findFails: true });
    await expect(service.login({ email: 'ann@x.io', password: 'right-password', ip: '10.0.0.1' })).rejects.toBeInstanceOf(StoreUnavailable);
    expect(steps).toEqual(['peek', 'count', 'find', 'undo']);
  });

  it('checks nothing more when the address must wait', async () => {
    const { service, steps, limiter } = await setUp();
    limiter.peek.mockRejectedValueOnce(new TooManyAttempts(4));
    await expect(service.login({ email: 'ann@x.io', password: 'right-password', ip: '10.0.0.1' })).rejects.toMatchObject({
      retryAfterSeconds: 4,
    });
    expect(steps).toEqual([]);
  });

  it('does not ask the challenge hook about an account that is not under attack', async () => {
    const hook = captcha('ok');
    const { service } = await setUp({ challenge: hook });
    await expect(service.login({ email: 'ann@x.io', password: 'right-password', ip: '10.0.0.1' })).resolves.toBeDefined();
    expect(hook.required).not.toHaveBeenCalled();
  });

  it('lets an account under attack log in with the default hook, which asks for nothing', async () => {
    const { service, steps } = await setUp({ underAttack: true });
    await expect(service.login({ email: 'ann@x.io', password: 'right-password', ip: '10.0.0.1' })).resolves.toBeDefined();
    expect(steps).toEqual(['peek', 'count', 'find', 'succeeded']);
  });

  it('refuses an account under attack without a token the hook accepts, before counting or checking anything', async () => {
    const hook = captcha('solved');
    const { service, steps } = await setUp({ underAttack: true, challenge: hook });
    for (const challengeToken of [undefined, '', 'forged']) {
      const refused = service.login({ email: ' Ann@X.io', password: 'right-password', ip: '10.0.0.1', challengeToken });
      await expect(refused).rejects.toBeInstanceOf(ChallengeRequired);
      await expect(refused).rejects.toMatchObject({ challenge: 'captcha', tokenGiven: challengeToken === 'forged' });
    }
    expect(steps).toEqual(['peek', 'peek', 'peek']);
    expect(hook.required).toHaveBeenCalledWith({ email: 'ann@x.io', recentFailures: 12 });
    expect(hook.verify).toHaveBeenCalledTimes(1);
    expect(hook.verify).toHaveBeenCalledWith('forged', '10.0.0.1');

    await expect(
      service.login({ email: 'ann@x.io', password: 'right-password', ip: '10.0.0.1', challengeToken: 'solved' }),
    ).resolves.toBeDefined();
    expect(steps.slice(3)).toEqual(['peek', 'count', 'find', 'succeeded']);
  });
});
