import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServiceApp, managementServer } from '@ecom/bootstrap';
import { REDIS } from '@ecom/store-redis';
import { waitFor } from '@ecom/testing';
import { LOCAL_ADMIN } from '../src/app/accounts/admin-seed.config';
import { backoffAfter, retryAfterSeconds } from '../src/app/login/login-backoff';
import type { AccountUnderAttack, LoginChallenge } from '../src/app/login/login-challenge';
import { loginLimitKeys } from '../src/app/login/login-rate-limiter';
import { UserModule } from '../src/app/user.module';
import { userService } from '../src/app/user.service';

// failed logins slow down the address they come from (per account, and across accounts) and never
// lock an account; an account failing from many addresses asks the login challenge hook, which by
// default asks for nothing. on the real redis, mongodb and kafka, with each run's own redis keys.
// fastify's client ip: the peer (remoteAddress), or the X-Forwarded-For of a trusted peer (loopback,
// as the gateway is locally)

const run = randomUUID().slice(0, 8);
const octet = () => Math.floor(Math.random() * 250) + 1;
/** an address of this run's own, so no other test's counters meet this one's */
const newIp = () => `10.${octet()}.${octet()}.${octet()}`;
const password = 'correct-horse-42';

type Headers = Record<string, string>;
const loginOf =
  (app: () => NestFastifyApplication) =>
  (
    email: string,
    pw: string,
    remoteAddress: string,
    { headers = {}, challengeToken }: { headers?: Headers; challengeToken?: string } = {},
  ) =>
    app().inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: pw, ...(challengeToken !== undefined && { challengeToken }) },
      remoteAddress,
      headers,
    });

async function register(app: NestFastifyApplication, name: string): Promise<string> {
  const email = `${name}.${run}@example.com`;
  const res = await app.inject({ method: 'POST', url: '/api/users', payload: { email, password, name }, remoteAddress: newIp() });
  expect(res.statusCode).toBe(201);
  return email;
}

describe('login limits with the default challenge hook (real redis, mongodb, kafka)', () => {
  let app: NestFastifyApplication;
  const login = loginOf(() => app);

  beforeAll(async () => {
    app = await createServiceApp(userService);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lets the admin log in from their own address after 20 wrong passwords for it from 20 other addresses', async () => {
    // ten straight from their peers, ten through the (trusted, loopback) gateway that names them in X-Forwarded-For
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const attacker = newIp();
      const res =
        i % 2 === 0
          ? await login(LOCAL_ADMIN.email.toUpperCase(), `wrong-password-${i}`, attacker)
          : await login(LOCAL_ADMIN.email, `wrong-password-${i}`, '127.0.0.1', { headers: { 'x-forwarded-for': attacker } });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual(Array(20).fill(401));

    const owner = newIp();
    const res = await login(LOCAL_ADMIN.email, LOCAL_ADMIN.password, owner);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ tokenType: 'Bearer' });
    // and through the gateway too
    const viaGateway = await login(LOCAL_ADMIN.email, LOCAL_ADMIN.password, '127.0.0.1', { headers: { 'x-forwarded-for': newIp() } });
    expect(viaGateway.statusCode).toBe(200);
    // the account is under attack: its failures from every address are counted, and remembered for a while
    const redis = app.get<Redis>(REDIS);
    const [, , account] = loginLimitKeys(LOCAL_ADMIN.email, owner);
    expect(Number(await redis.hget(account, 'n'))).toBeGreaterThanOrEqual(20);
    expect(await redis.pttl(account)).toBeGreaterThan(0);
  });

  it('answers one address failing one account 429 with a Retry-After that doubles, whatever X-Forwarded-For it sends', async () => {
    const email = await register(app, 'slowed');
    const attacker = newIp();
    // the attacker is no trusted proxy: a new X-Forwarded-For each time is not read, and resets nothing
    const guess = (i: number) => login(email, `wrong-password-${i}`, attacker, { headers: { 'x-forwarded-for': newIp() } });
    // when the failure that set the current wait was sent: the wait runs from when it was counted, before
    // its password was checked, so a refusal answers what is left of it
    let failedAt = 0;
    const fail = async (i: number) => {
      const sentAt = performance.now();
      const res = await guess(i);
      if (res.statusCode === 401) failedAt = sentAt;
      return res;
    };
    for (let i = 0; i < 5; i++) expect((await fail(i)).statusCode).toBe(401);

    const waits: number[] = [];
    const elapsed: number[] = [];
    for (let round = 0; round < 3; round++) {
      const refused = await guess(100);
      elapsed.push(performance.now() - failedAt);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
      waits.push(Number(refused.headers['retry-after']));
      // once the wait is over, one more guess is let through (and fails), and the next wait is longer
      if (round < 2) await waitFor('the wait to end', async () => (await fail(200 + round)).statusCode === 401, { timeoutMs: 15_000 });
    }
    // after the 5th failure 1 s, after the 6th 2 s, after the 7th 4 s, less what had passed since that failure
    // was sent (a loaded box checks a password slowly): whole seconds, rounded up
    const schedule = [5, 6, 7].map((n) => backoffAfter(n, 5, { baseMs: 1000, maxMs: 300_000 }));
    expect(schedule.map(retryAfterSeconds)).toEqual([1, 2, 4]);
    const within = waits.map((w, i) => {
      const [least, most] = [retryAfterSeconds(schedule[i] - elapsed[i]), retryAfterSeconds(schedule[i])];
      return w >= least && w <= most ? 'ok' : `${w} s, not within ${least}..${most} s`;
    });
    expect(within).toEqual(['ok', 'ok', 'ok']);

    // the right password from the attacker's address waits too; from the owner's own address it logs in
    expect((await login(email, password, attacker)).statusCode).toBe(429);
    expect((await login(email, password, newIp())).statusCode).toBe(200);
  });

  it('starts an address over on an account once the right password comes from it', async () => {
    const email = await register(app, 'typo');
    const from = newIp();
    for (let i = 0; i < 4; i++) expect((await login(email, `typo-${i}`, from)).statusCode).toBe(401);
    expect((await login(email, password, from)).statusCode).toBe(200);
    // five more failures are let through before the first wait, as if the first four had not been
    const after: number[] = [];
    for (let i = 0; i < 6; i++) after.push((await login(email, `typo-again-${i}`, from)).statusCode);
    expect(after).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('answers an address spraying many accounts 429 once it failed 30 times, for every account, and no other address', async () => {
    const sprayer = newIp();
    const victim = await register(app, 'sprayed');
    const spray = async (from: number, to: number) => {
      const statuses: number[] = [];
      for (let i = from; i < to; i++) statuses.push((await login(`spray${i}.${run}@example.com`, 'wrong-password-1', sprayer)).statusCode);
      return statuses;
    };
    expect(await spray(0, 29)).toEqual(Array(29).fill(401));
    // a right password from the address, while it is one failure short of waiting, is no failure and leaves no wait
    expect((await login(victim, password, sprayer)).statusCode).toBe(200);
    expect(await spray(29, 31)).toEqual([401, 429]);

    const refused = await login(victim, password, sprayer);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).not.toContain('accessToken');
    expect((await login(victim, password, newIp())).statusCode).toBe(200);
  });

  it('takes a successful login off the address counter, so logging in often from one address never slows it', async () => {
    const email = await register(app, 'frequent');
    const from = newIp();
    for (let i = 0; i < 35; i++) expect((await login(email, password, from)).statusCode).toBe(200);
    const [pair, address] = loginLimitKeys(email, from);
    const redis = app.get<Redis>(REDIS);
    expect(await redis.exists(pair, address)).toBe(0);
  });
});

/** a CAPTCHA as a deployment would plug it in: tokens the provider issued pass, once */
@Injectable()
class TestCaptcha implements LoginChallenge {
  static readonly asked: AccountUnderAttack[] = [];
  static readonly verified: { token: string; ip: string }[] = [];
  readonly kind = 'captcha';
  required(account: AccountUnderAttack): boolean {
    TestCaptcha.asked.push(account);
    return true;
  }
  verify(token: string, ip: string): boolean {
    TestCaptcha.verified.push({ token, ip });
    return token === `solved-${run}`;
  }
}

describe('login limits with a challenge hook that asks for a captcha (real redis, mongodb, kafka)', () => {
  let app: NestFastifyApplication;
  const login = loginOf(() => app);
  let email: string;
  const owner = newIp();

  beforeAll(async () => {
    app = await createServiceApp(
      { ...userService, module: UserModule.forRoot({ loginChallenge: TestCaptcha }) },
      { env: { ...process.env, LOGIN_ACCOUNT_UNDER_ATTACK_AFTER: '3' } },
    );
    email = await register(app, 'captcha');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('asks for nothing while the account is not under attack', async () => {
    expect((await login(email, password, owner)).statusCode).toBe(200);
    expect((await login(email, 'wrong-password-0', newIp())).json()).not.toHaveProperty('challenge');
    expect(TestCaptcha.asked).toEqual([]);
  });

  it('refuses a login without the captcha once the account is under attack, with 401 and challenge: captcha, right password or not', async () => {
    for (let i = 1; i < 3; i++) expect((await login(email, `wrong-password-${i}`, newIp())).statusCode).toBe(401);
    for (const pw of [password, 'wrong-password-3']) {
      const res = await login(email.toUpperCase(), pw, owner);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 401, type: 'urn:ecom:problem:login-challenge-required', challenge: 'captcha' });
      expect(res.body).not.toContain('accessToken');
    }
    expect(TestCaptcha.asked.at(-1)).toEqual({ email: email.toLowerCase(), recentFailures: 3 });
  });

  it('refuses a token the captcha does not accept the same way', async () => {
    const res = await login(email, password, owner, { challengeToken: 'forged' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ challenge: 'captcha' });
    expect(TestCaptcha.verified.at(-1)).toEqual({ token: 'forged', ip: owner });
  });

  it('logs in with the right password and a passed captcha', async () => {
    const res = await login(email, password, owner, { challengeToken: `solved-${run}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ tokenType: 'Bearer' });
  });

  it('answers a passed captcha with a wrong password 401 without a challenge field', async () => {
    const res = await login(email, 'wrong-password-4', owner, { challengeToken: `solved-${run}` });
    expect(res.statusCode).toBe(401);
    expect(res.json()).not.toHaveProperty('challenge');
  });

  it('refuses a challenge token that is not a string with a 400 naming it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password, challengeToken: 42 },
      remoteAddress: owner,
    });
    expect(res.statusCode).toBe(400);
    expect([...new Set(res.json().errors.map((e: { field: string }) => e.field))]).toEqual(['challengeToken']);
  });

  it('documents the challenge answer, the token and the Retry-After in the OpenAPI document', async () => {
    const doc = (await managementServer(app).inject({ method: 'GET', url: '/docs-json' })).json();
    const op = doc.paths['/api/auth/login'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429', '503']));
    const problem = op.responses['401'].content['application/problem+json'].schema.$ref.split('/').at(-1);
    expect(doc.components.schemas[problem].properties).toHaveProperty('challenge');
    expect(op.responses['401'].description).toContain("'captcha'");
    expect(op.responses['429'].headers).toHaveProperty('Retry-After');
    expect(op.responses['503'].headers).toHaveProperty('Retry-After');
    const body = op.requestBody.content['application/json'].schema.$ref.split('/').at(-1);
    expect(doc.components.schemas[body].properties).toHaveProperty('challengeToken');
  });
});
