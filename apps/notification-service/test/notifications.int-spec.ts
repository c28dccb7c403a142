import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceApp, gracefulShutdown } from '@ecom/bootstrap';
import { readEnv } from '@ecom/config';
import { REDIS } from '@ecom/store-redis';
import { createEnvelope, Topics, type EventEnvelope, type EventsMap, type TopicName } from '@ecom/events';
import { EventProducer, TopicsReady } from '@ecom/kafka';
import { bearerFor, waitFor } from '@ecom/testing';
import { notificationService } from '../src/app/notification.service';
import { NotificationsStore } from '../src/app/notifications/notifications.store';

// the whole service on the real stack: events from kafka become notifications in redis, read and
// marked over http, and pushed live over server-sent events on a real port

// the default cap: another replica of the service (same consumer group, same redis) may be
// running on the stack and handle these events, and it has the default config
const CAP = 100;
const KAFKA_WAIT = { timeoutMs: 60_000, intervalMs: 200 };

interface Frame {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

/** a streaming GET over a real socket: the status, the headers, the text so far */
interface OpenStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly ended: boolean;
  notifications(): Array<Record<string, unknown> & { frameId?: string }>;
  close(): void;
}

function openStream(base: string, path: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}${path}`, { headers }, (res) => {
      let text = '';
      let ended = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (ended = true));
      res.on('close', () => (ended = true));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        get text() {
          return text;
        },
        get ended() {
          return ended;
        },
        notifications: () =>
          framesOf(text)
            .filter((f) => f.event === 'notification')
            .map((f) => ({ ...(JSON.parse(f.data) as Record<string, unknown>), frameId: f.id })),
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => reject(e));
  });
}

function framesOf(text: string): Frame[] {
  return text
    .split('\n\n')
    .slice(0, -1)
    .map((block) => {
      const fields = block.split('\n').filter((l) => !l.startsWith(':'));
      const value = (name: string) => fields.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
      return { id: value('id')[0], event: value('event')[0], data: value('data').join('\n') };
    })
    .filter((f) => f.data !== '' || f.event !== undefined);
}

describe('notification-service notifications (real kafka, redis)', () => {
  let app: NestFastifyApplication | undefined;
  const running = () => {
    if (!app) throw new Error('the app was closed by an earlier test');
    return app;
  };
  let redis: Redis;
  let store: NotificationsStore;
  let base: string;
  const run = randomUUID().slice(0, 8);
  const userId = (name: string) => `it-${run}-${name}`;
  // an hour ago and on, so the order is the one these tests give
  const t0 = Date.now() - 3_600_000;
  const at = (s: number) => new Date(t0 + s * 1_000).toISOString();
  const money = { amount: 1250, currency: 'EUR' };

  const envelope = <T extends TopicName>(
    topic: T,
    payload: EventsMap[T],
    occurredAt: string,
    key?: string,
  ): EventEnvelope<EventsMap[T]> => ({
    ...createEnvelope(topic, payload, {
      key: key ?? (payload as { orderId?: string; userId: string }).orderId ?? (payload as { userId: string }).userId,
    }),
    occurredAt,
  });
  const confirmed = (user: string, s: number, key?: string) =>
    envelope(
      Topics.OrderConfirmed,
      { orderId: `o-${randomUUID()}`, userId: user, lines: [{ productId: 'p-1', quantity: 1, unitPrice: money }], total: money },
      at(s),
      key,
    );
  const send = (...events: [TopicName, EventEnvelope][]) =>
    running()
      .get(EventProducer)
      .sendBatch(events.map(([topic, env]) => ({ topic, envelope: env })));
  const handled = async (...events: EventEnvelope[]) =>
    (await redis.exists(...events.map((e) => store.keys.processed(e.id)))) === events.length;

  const call = async (method: 'GET' | 'POST', url: string, auth?: string) =>
    running().inject({ method, url, headers: auth ? { authorization: auth } : {} });
  const list = async (auth: string, query = '') => (await call('GET', `/api/notifications${query}`, auth)).json();

  beforeAll(async () => {
    app = await createServiceApp(notificationService, {
      env: { ...readEnv(), NOTIFICATIONS_STREAM_HEARTBEAT_MS: '1000' },
    });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    redis = app.get<Redis>(REDIS);
    store = app.get(NotificationsStore);
    await app.get(TopicsReady).ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('the inbox', () => {
    const ann = userId('ann');
    let auth: string;
    const events = {
      welcome: envelope(Topics.UserRegistered, { userId: ann, email: `ann.${run}@example.com`, name: 'Ann', role: 'customer' }, at(0)),
      confirmed: confirmed(ann, 1),
      rejected: envelope(Topics.OrderRejected, { orderId: `o-rej-${run}`, userId: ann, reason: 'out of stock' }, at(2)),
      cancelled: envelope(Topics.OrderCancelled, { orderId: `o-can-${run}`, userId: ann }, at(3)),
    };

    beforeAll(async () => {
      auth = await bearerFor('customer', ann);
      // four topics, so they arrive in any order
      await send(
        [Topics.OrderCancelled, events.cancelled],
        [Topics.UserRegistered, events.welcome],
        [Topics.OrderRejected, events.rejected],
        [Topics.OrderConfirmed, events.confirmed],
      );
      await waitFor("Ann's four notifications", async () => (await list(auth)).total === 4, KAFKA_WAIT);
    });

    it("lists the owner's notifications newest first, all unread, with what each event said", async () => {
      const page = await list(auth);
      expect(page).toMatchObject({ page: 1, limit: 20, total: 4, unread: 4 });
      expect(page.items.map((i: { type: string }) => i.type)).toEqual(['order.cancelled', 'order.rejected', 'order.confirmed', 'welcome']);
      for (const item of page.items) expect(Object.keys(item).sort()).toEqual(['body', 'createdAt', 'data', 'id', 'read', 'title', 'type']);
      expect(page.items.every((i: { read: boolean }) => i.read === false)).toBe(true);
      const [cancelled, rejected, confirmedItem, welcome] = page.items;
      expect(cancelled).toMatchObject({ title: 'Order cancelled', data: { orderId: `o-can-${run}` }, createdAt: at(3) });
      expect(rejected).toMatchObject({ data: { orderId: `o-rej-${run}`, reason: 'out of stock' } });
      expect(rejected.body).toContain('out of stock');
      expect(confirmedItem).toMatchObject({ data: { orderId: events.confirmed.payload.orderId, total: money } });
      expect(confirmedItem.body).toContain('€12.50');
      expect(welcome).toMatchObject({ type: 'welcome', title: 'Welcome, Ann!', data: {}, createdAt: at(0) });
    });

    it('pages in the platform shape, with the unread count', async () => {
      const page = await list(auth, '?page=2&limit=3');
      expect(page).toMatchObject({ page: 2, limit: 3, total: 4, unread: 4 });
      expect(page.items.map((i: { type: string }) => i.type)).toEqual(['welcome']);
      expect((await list(auth, '?page=9')).items).toEqual([]);
    });

    it('shows nobody else anything of it', async () => {
      expect(await list(await bearerFor('customer', userId('stranger')))).toEqual({ items: [], page: 1, limit: 20, total: 0, unread: 0 });
    });

    it('marks one read, idempotently; the unread count follows', async () => {
      const rejectedId = (await list(auth)).items[1].id;
      expect((await call('POST', `/api/notifications/${rejectedId}/read`, auth)).statusCode).toBe(204);
      let page = await list(auth);
      expect(page.unread).toBe(3);
      expect(page.items.map((i: { read: boolean }) => i.read)).toEqual([false, true, false, false]);
      expect((await call('POST', `/api/notifications/${rejectedId}/read`, auth)).statusCode).toBe(204);
      page = await list(auth);
      expect(page).toMatchObject({ total: 4, unread: 3 });
    });

    it("answers 404 for another user's notification and for an unknown id, 401 without a token", async () => {
      const annsId = (await list(auth)).items[0].id;
      const stranger = await bearerFor('customer', userId('stranger'));
      const theirs = await call('POST', `/api/notifications/${annsId}/read`, stranger);
      expect(theirs.statusCode).toBe(404);
      expect(theirs.headers['content-type']).toContain('application/problem+json');
      expect((await list(auth)).unread).toBe(3);
      expect((await call('POST', '/api/notifications/nope/read', auth)).statusCode).toBe(404);
      expect((await call('POST', `/api/notifications/${annsId.split('-')[0]}-${randomUUID()}/read`, auth)).statusCode).toBe(404);
      const anonymous = await call('GET', '/api/notifications');
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      expect((await call('POST', `/api/notifications/${annsId}/read`)).statusCode).toBe(401);
    });

    it('answers odd ids and bodies with 4xx problem+json, never 5xx', async () => {
      const post = (url: string, payload?: string) =>
        running().inject({ method: 'POST', url, payload, headers: { authorization: auth, 'content-type': 'application/json' } });
      for (const [url, payload] of [
        [`/api/notifications/${encodeURIComponent('{"id":1}')}/read`, undefined],
        ['/api/notifications/%F0%9F%94%94/read', undefined],
        ['/api/notifications/m0-00000000-0000-4000-8000-000000000000/read', '{not json'],
      ] as const) {
        const res = await post(url, payload);
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
      // fastify's router refuses these before nest sees them (plain json, platform-wide): 4xx all the same
      for (const url of [`/api/notifications/${'x'.repeat(300)}/read`, '/api/notifications/%00%ff/read']) {
        const { statusCode } = await post(url);
        expect(statusCode).toBeGreaterThanOrEqual(400);
        expect(statusCode).toBeLessThan(500);
      }
    });

    it('refuses bad paging with 400 problem+json', async () => {
      for (const query of ['?page=0', '?limit=101', '?page=abc', '?limit=-1', '?sort=asc']) {
        const res = await call('GET', `/api/notifications${query}`, auth);
        expect(res.statusCode).toBe(400);
        expect(res.headers['content-type']).toContain('application/problem+json');
      }
    });
  });

  it('creates one notification for an event delivered twice', async () => {
    const dan = userId('dan');
    const key = `k-${run}`;
    const once = envelope(Topics.OrderCancelled, { orderId: `o-dup-${run}`, userId: dan }, at(0), key);
    const after = envelope(Topics.OrderCancelled, { orderId: `o-after-${run}`, userId: dan }, at(1), key);
    // one key, so one partition: by the time `after` is handled, both copies were
    await send([Topics.OrderCancelled, once], [Topics.OrderCancelled, once], [Topics.OrderCancelled, after]);
    const auth = await bearerFor('customer', dan);
    await waitFor('both events handled', () => handled(once, after), KAFKA_WAIT);
    // and a redelivery much later
    const later = envelope(Topics.OrderCancelled, { orderId: `o-later-${run}`, userId: dan }, at(2), key);
    await send([Topics.OrderCancelled, once], [Topics.OrderCancelled, later]);
    await waitFor('the late events handled', () => handled(later), KAFKA_WAIT);
    const page = await list(auth);
    expect(page).toMatchObject({ total: 3, unread: 3 });
    expect(page.items.map((i: { data: { orderId: string } }) => i.data.orderId)).toEqual([
      `o-later-${run}`,
      `o-after-${run}`,
      `o-dup-${run}`,
    ]);
  });

  it("drops a user's notifications when the account is deleted", async () => {
    const del = userId('del');
    const auth = await bearerFor('customer', del);
    const before = confirmed(del, 0, del);
    await send([Topics.OrderConfirmed, before]);
    await waitFor('the notification', async () => (await list(auth)).total === 1, KAFKA_WAIT);
    await send([Topics.UserDeleted, envelope(Topics.UserDeleted, { userId: del }, at(1))]);
    // the user's own token can't look any more (it is revoked with the account), so look in redis
    await waitFor(
      'the notifications to go',
      async () => (await redis.exists(store.keys.feed(del), store.keys.unread(del))) === 0,
      KAFKA_WAIT,
    );
    const refused = await waitFor('the token to be refused', async () => {
      const res = await call('GET', '/api/notifications', auth);
      return res.statusCode === 401 && res;
    });
    expect(refused.json().detail).toBe('the bearer token is invalid (revoked)');
  });

  it(`keeps the newest ${CAP} per user, with a correct unread count and a ttl`, async () => {
    const cy = userId('cy');
    const key = `cap-${run}`;
    const auth = await bearerFor('customer', cy);
    const events = Array.from({ length: CAP + 3 }, (_, i) => confirmed(cy, 10 + i, key));
    // out of order on purpose: the cap keeps the newest by time, not the last to arrive
    const shuffled = [...events.slice(50), ...events.slice(0, 50)].reverse();
    await send(...shuffled.map((e): [TopicName, EventEnvelope] => [Topics.OrderConfirmed, e]));
    await waitFor(`all ${CAP + 3} handled`, () => handled(...events), KAFKA_WAIT);

    const all = `?limit=${CAP}`;
    const orderIds = (page: { items: { data: { orderId: string } }[] }) => page.items.map((i) => i.data.orderId);
    // events[from], events[from - 1], ... events[to]: newest first
    const newest = (from: number, to: number) =>
      events
        .slice(to, from + 1)
        .reverse()
        .map((e) => e.payload.orderId);
    let page = await list(auth, all);
    expect(page).toMatchObject({ total: CAP, unread: CAP });
    expect(orderIds(page)).toEqual(newest(CAP + 2, 3));
    expect((await list(auth, `${all}&page=2`)).items).toEqual([]);

    // the oldest kept is read, then pushed out by a newer one: unread counts only what is kept
    expect((await call('POST', `/api/notifications/${page.items[CAP - 1].id}/read`, auth)).statusCode).toBe(204);
    expect((await list(auth)).unread).toBe(CAP - 1);
    const newer = confirmed(cy, 1_000, key);
    const tooOld = confirmed(cy, 1, key);
    await send([Topics.OrderConfirmed, newer], [Topics.OrderConfirmed, tooOld]);
    await waitFor('the newer and the too old one handled', () => handled(newer, tooOld), KAFKA_WAIT);
    page = await list(auth, all);
    expect(page).toMatchObject({ total: CAP, unread: CAP });
    expect(orderIds(page)).toEqual([newer.payload.orderId, ...newest(CAP + 2, 4)]);

    const month = 30 * 24 * 3600;
    for (const k of [store.keys.feed(cy), store.keys.unread(cy)]) {
      const ttl = await redis.ttl(k);
      expect(ttl).toBeGreaterThan(month - 60);
      expect(ttl).toBeLessThanOrEqual(month);
    }
  });

  describe('the live stream', () => {
    const connected = (s: OpenStream) => waitFor('the stream to say it is connected', () => s.text.includes(': connected\n\n'));
    const subscribers = async (user: string) => ((await redis.pubsub('NUMSUB', store.keys.channel(user))) as [string, number])[1];

    // first in this block: nothing opened a stream before it, so its streams open the subscriber connection
    it('subscribes every one of many streams opened at once, as the subscriber connection opens', async () => {
      const users = Array.from({ length: 40 }, (_, i) => userId(`crowd-${i}`));
      const streams = await Promise.all(
        users.map(async (u) => openStream(base, '/api/notifications/stream', { authorization: await bearerFor('customer', u) })),
      );
      try {
        expect(streams.map((s) => s.status)).toEqual(users.map(() => 200));
        await Promise.all(streams.map(connected));
        expect(await Promise.all(users.map(subscribers))).toEqual(users.map(() => 1));
      } finally {
        for (const s of streams) s.close();
      }
    });

    it('pushes a new notification to a stream opened with the bearer header, with heartbeats, and unsubscribes on disconnect', async () => {
      const sue = userId('sue');
      const stream = await openStream(base, '/api/notifications/stream', { authorization: await bearerFor('customer', sue) });
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
        expect(stream.headers['cache-control']).toContain('no-cache');
        expect(stream.headers['x-accel-buffering']).toBe('no');
        await connected(stream);
        expect(await subscribers(sue)).toBe(1);

        const event = confirmed(sue, 100);
        await send([Topics.OrderConfirmed, event]);
        const [pushed] = await waitFor(
          'the pushed notification',
          () => stream.notifications().length > 0 && stream.notifications(),
          KAFKA_WAIT,
        );
        expect(pushed).toMatchObject({
          type: 'order.confirmed',
          read: false,
          data: { orderId: event.payload.orderId, total: money },
          createdAt: at(100),
        });
        expect(pushed.frameId).toBe(pushed['id']);
        expect(stream.text).toMatch(/id: \S+\nevent: notification\ndata: \{/);
        await waitFor('a heartbeat comment', () => stream.text.includes(': heartbeat\n\n'), { timeoutMs: 5_000 });
      } finally {
        stream.close();
      }
      await waitFor('the subscription to go with the client', async () => (await subscribers(sue)) === 0);
    });

    it('opens with a single-use query token, and refuses it the second time', async () => {
      const quinn = userId('quinn');
      const bearer = await bearerFor('customer', quinn);
      expect((await call('POST', '/api/notifications/stream-tokens')).statusCode).toBe(401);
      const issued = await call('POST', '/api/notifications/stream-tokens', bearer);
      expect(issued.statusCode).toBe(201);
      const { token, expiresIn } = issued.json();
      expect(expiresIn).toBe(60);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const stream = await openStream(base, `/api/notifications/stream?token=${token}`);
      try {
        expect(stream.status).toBe(200);
        await connected(stream);
        const event = envelope(Topics.OrderRejected, { orderId: `o-q-${run}`, userId: quinn, reason: 'payment declined' }, at(200));
        await send([Topics.OrderRejected, event]);
        const [pushed] = await waitFor(
          'the pushed notification',
          () => stream.notifications().length > 0 && stream.notifications(),
          KAFKA_WAIT,
        );
        expect(pushed).toMatchObject({ type: 'order.rejected', data: { orderId: `o-q-${run}`, reason: 'payment declined' } });
      } finally {
        stream.close();
      }

      const reused = await openStream(base, `/api/notifications/stream?token=${token}`);
      await waitFor('the refusal', () => reused.ended);
      expect(reused.status).toBe(401);
      expect(reused.headers['content-type']).toContain('application/problem+json');
      expect(JSON.parse(reused.text)).toMatchObject({ status: 401, detail: expect.stringContaining('stream token') });
    });

    it('answers 401 problem+json without a token, with a bad one, and with a bad bearer header', async () => {
      for (const [path, headers] of [
        ['/api/notifications/stream', {}],
        ['/api/notifications/stream?token=not-a-token', {}],
        [`/api/notifications/stream?token=${'A'.repeat(43)}`, {}],
        ['/api/notifications/stream', { authorization: 'Bearer nope' }],
        ['/api/notifications/stream', { authorization: 'Basic YTpi' }],
      ] as const) {
        const res = await running().inject({ method: 'GET', url: path, headers });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      expect((await call('GET', '/api/notifications/stream?token=a&token=b')).statusCode).toBe(400);
    });

    it('delivers what another replica stores: the stream listens on redis, not in memory', async () => {
      const rae = userId('rae');
      const stream = await openStream(base, '/api/notifications/stream', { authorization: await bearerFor('customer', rae) });
      const otherReplica = redis.duplicate();
      try {
        await connected(stream);
        const notification = {
          id: 'm0-00000000-0000-4000-8000-000000000000',
          type: 'welcome',
          title: 'Hi',
          body: 'from elsewhere',
          data: {},
          createdAt: at(0),
        };
        await otherReplica.publish(store.keys.channel(rae), JSON.stringify(notification));
        const [pushed] = await waitFor(
          'the notification published elsewhere',
          () => stream.notifications().length > 0 && stream.notifications(),
        );
        expect(pushed).toMatchObject({ ...notification, read: false });
      } finally {
        stream.close();
        await otherReplica.quit();
      }
    });

    it('replays what came after Last-Event-ID on reconnect, oldest first', async () => {
      const lou = userId('lou');
      const auth = await bearerFor('customer', lou);
      const events = [confirmed(lou, 300), confirmed(lou, 301), confirmed(lou, 302)];
      await send(...events.map((e): [TopicName, EventEnvelope] => [Topics.OrderConfirmed, e]));
      await waitFor("Lou's three notifications", async () => (await list(auth)).total === 3, KAFKA_WAIT);
      const seen = (await list(auth)).items[2].id;
      const stream = await openStream(base, '/api/notifications/stream', { authorization: auth, 'last-event-id': seen });
      try {
        const replayed = await waitFor('the two missed ones', () => stream.notifications().length === 2 && stream.notifications());
        expect(replayed.map((n) => (n['data'] as { orderId: string }).orderId)).toEqual([
          events[1].payload.orderId,
          events[2].payload.orderId,
        ]);
      } finally {
        stream.close();
      }
    });

    it('ends open streams when the app closes, without waiting for the clients', async () => {
      const stream = await openStream(base, '/api/notifications/stream', { authorization: await bearerFor('customer', userId('last')) });
      await connected(stream);
      const started = Date.now();
      await running().close();
      app = undefined;
      // waiting for the client would never end; closing takes a few seconds of its own (the kafka
      // consumer leaves its group), more on a busy machine, so the bound is generous
      expect(Date.now() - started).toBeLessThan(15_000);
      await waitFor('the client to see the end', () => stream.ended, { timeoutMs: 2_000 });
    });
  });
});

describe('notification-service graceful shutdown with a stream open', () => {
  it('drains and exits 0 well before the shutdown timeout', async () => {
    const app = await createServiceApp(notificationService);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const stream = await openStream(base, '/api/notifications/stream', {
      authorization: await bearerFor('customer', `it-${randomUUID()}`),
    });
    await waitFor('the stream to open', () => stream.text.includes(': connected'));
    const exits: number[] = [];
    const started = Date.now();
    await gracefulShutdown(app, { timeoutMs: 15_000, exit: (code) => exits.push(code) })('SIGTERM');
    expect(exits).toEqual([0]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stream.ended).toBe(true);
  });
});
