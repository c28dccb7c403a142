import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { RevokedUsers } from '@ecom/auth';
import { AppConfigModule, kafkaConfig, loadConfig, readEnv, serviceConfig } from '@ecom/config';
import { createEnvelope, Topics } from '@ecom/events';
import { HealthModule, HealthRegistry } from '@ecom/health';
import { MetricsModule } from '@ecom/observability';
import { waitFor } from '@ecom/testing';
import { EventProducer, KafkaModule, REVOCATIONS_CHECK } from '../src';

// every instance learns every deletion, the ones from before it started included, before it
// says it is ready; and a deletion published while it runs revokes the user's tokens at once

const run = randomUUID().slice(0, 8);

@Global()
@Module({ providers: [{ provide: RevokedUsers, useFactory: () => new RevokedUsers() }], exports: [RevokedUsers] })
class RevokedUsersModule {}

async function instance(): Promise<INestApplicationContext> {
  const name = `it-revocations-${run}`;
  const values = loadConfig([serviceConfig(name), kafkaConfig(name)], readEnv());
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(values), MetricsModule.forRoot(name), HealthModule, RevokedUsersModule, KafkaModule],
  }).compile();
  return moduleRef.init();
}

async function revocationsCheck(app: INestApplicationContext): Promise<{ status: string } | undefined> {
  for (const check of app.get(HealthRegistry).all()) {
    const result = (await check()) as Record<string, { status: string }>;
    if (result[REVOCATIONS_CHECK]) return result[REVOCATIONS_CHECK];
  }
  return undefined;
}

const deleted = (userId: string) => ({
  topic: Topics.UserDeleted,
  envelope: createEnvelope(Topics.UserDeleted, { userId }, { key: userId }),
});

describe('user.deleted feed (real kafka)', () => {
  const apps: INestApplicationContext[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('knows the deletions from before it started once it says it is ready, and new ones within seconds, in every instance', async () => {
    const before = `gone-before-${run}`;
    const publisher = await instance();
    apps.push(publisher);
    await publisher.get(EventProducer).sendBatch([deleted(before)]);

    const late = await instance();
    apps.push(late);
    const revoked = late.get(RevokedUsers);
    // the moment it reports up, the deletion published before it started is known
    await waitFor('the revocations check to report up', async () => (await revocationsCheck(late))?.status === 'up', { timeoutMs: 60_000 });
    expect(revoked.isRevoked(before)).toBe(true);
    expect(revoked.isRevoked(`still-here-${run}`)).toBe(false);

    const during = `gone-during-${run}`;
    const sent = Date.now();
    await publisher.get(EventProducer).sendBatch([deleted(during)]);
    // each instance reads with a group of its own, so both learn it, not one of them
    await waitFor(
      'the new deletion to revoke the user in both instances',
      () => revoked.isRevoked(during) && publisher.get(RevokedUsers).isRevoked(during),
      {
        timeoutMs: 10_000,
        intervalMs: 20,
      },
    );
    console.log(`user.deleted published → revoked in both instances after ${Date.now() - sent} ms`);
  });
});
