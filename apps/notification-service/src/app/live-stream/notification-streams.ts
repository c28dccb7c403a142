import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { RevokedUsers } from '@ecom/auth';
import { Metrics } from '@ecom/observability';
import { Gauge } from 'prom-client';
import { REDIS } from '@ecom/store-redis';
import type { Notification } from '../notifications/notification';
import { NotificationKeys } from '../notifications/notification-keys';
import { NotificationView } from '../notifications/notification.view';
import type { SseStream } from './sse';

export type NotificationListener = (notification: NotificationView) => void;

/**
 * the live side, per process: one redis subscriber connection (a duplicate of the service's
 * client, since a subscribed connection can do nothing else) subscribed to the channel of each
 * user with an open stream here. whichever replica stores a notification publishes it, so every
 * replica holding a stream of that user gets it. it also ends open streams on shutdown.
 */
@Injectable()
export class NotificationStreams implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = new Logger(NotificationStreams.name);
  private readonly keys: NotificationKeys;
  private readonly listeners = new Map<string, Set<NotificationListener>>();
  private readonly streams = new Map<SseStream, string>();
  private subscriber?: Redis;
  private closing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly adapterHost: HttpAdapterHost,
    revoked: RevokedUsers,
    metrics: Metrics,
  ) {
    this.keys = NotificationKeys.of(redis);
    const streams = this.streams;
    new Gauge({
      name: 'sse_connections',
      help: 'open notification streams on this replica',
      registers: [metrics.registry],
      collect() {
        this.set(streams.size);
      },
    });
    // a deleted user's open streams end with their tokens
    revoked.onRevoked((userId) => this.closeUser(userId));
  }

  onModuleInit(): void {
    // fastify.close() waits for in-flight requests, and a stream never ends by itself. preClose
    // runs first, on app.close() and on the graceful shutdown alike (which closes fastify before
    // the nest hooks run); clients reconnect to a replica that is still up
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('preClose', (done) => {
      this.closeAll();
      done();
    });
  }

  /** remembers a user's open stream until the returned function is called, so shutdown or the user's deletion can end it */
  track(stream: SseStream, userId: string): () => void {
    if (this.closing) stream.close();
    else this.streams.set(stream, userId);
    return () => this.streams.delete(stream);
  }

  closeUser(userId: string): void {
    for (const [stream, owner] of this.streams) {
      if (owner !== userId) continue;
      stream.close();
      this.streams.delete(stream);
    }
  }

  /**
   * calls the listener with every notification stored for the user from now on, by any replica.
   * resolves once redis confirmed the subscription; the returned function stops listening.
   */
  async listen(userId: string, listener: NotificationListener): Promise<() => void> {
    if (this.closing) throw new Error('shutting down');
    const channel = this.keys.channel(userId);
    let listeners = this.listeners.get(channel);
    if (!listeners) this.listeners.set(channel, (listeners = new Set()));
    listeners.add(listener);
    const current = listeners;
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      current.delete(listener);
      if (current.size > 0 || this.listeners.get(channel) !== current) return;
      this.listeners.delete(channel);
      // commands on one connection run in order, so a later listen's SUBSCRIBE still wins
      this.subscriber?.unsubscribe(channel).catch((e: Error) => this.log.warn({ channel, err: e.message }, 'unsubscribe failed'));
    };
    try {
      await this.connection().subscribe(channel);
    } catch (e) {
      stop();
      throw e;
    }
    return stop;
  }

  /** channels with a listener in this process; for tests and metrics */
  channelCount(): number {
    return this.listeners.size;
  }

  closeAll(): void {
    this.closing = true;
    for (const stream of this.streams.keys()) stream.close();
    this.streams.clear();
  }

  beforeApplicationShutdown(): void {
    this.closeAll();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closeAll();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.listeners.clear();
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }

  private connection(): Redis {
    if (!this.subscriber) {
      // no ready check: it sends INFO when the connection opens, and when the first streams' SUBSCRIBEs
      // got there first (many streams opening at once), redis refuses it in subscriber mode and
      // ioredis fails those subscriptions ("Can't execute 'info'")
      const subscriber = this.redis.duplicate({ enableReadyCheck: false });
      subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
      // ioredis reconnects and subscribes again by itself; say so instead of an unhandled error event
      subscriber.on('error', (e: Error) => this.log.warn({ err: e.message }, 'redis subscriber connection error'));
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }

  private deliver(channel: string, message: string): void {
    const listeners = this.listeners.get(channel);
    if (!listeners) return;
    let view: NotificationView;
    try {
      view = NotificationView.of(JSON.parse(message) as Notification, false);
    } catch {
      this.log.warn({ channel }, 'ignoring a message that is not a notification');
      return;
    }
    for (const listener of listeners) listener(view);
  }
}
