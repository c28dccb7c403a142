import { Controller, Logger } from '@nestjs/common';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventBatchHandler, EventHandler } from '@ecom/kafka';
import type { Addressed } from '../notifications/notification';
import { NotificationsStore } from '../notifications/notifications.store';
import {
  orderCancelledNotification,
  orderConfirmedNotification,
  orderRejectedNotification,
  welcomeNotification,
} from '../notifications/render-notification';

/**
 * turns the events users care about into notifications, the events that queued up on a partition
 * together (one round trip to redis). each event produces its notification
 * once however often kafka delivers it (NotificationsStore.add marks the event id in the same
 * script that writes), so a redelivery after a crash or a rebalance is harmless.
 */
@Controller()
export class NotifyMessageController {
  private readonly log = new Logger(NotifyMessageController.name);

  constructor(private readonly notifications: NotificationsStore) {}

  @EventBatchHandler(Topics.UserRegistered)
  async onUsersRegistered(events: EventEnvelope<EventsMap['user.registered']>[]): Promise<void> {
    await this.notify(events, welcomeNotification);
  }

  @EventBatchHandler(Topics.OrderConfirmed)
  async onOrdersConfirmed(events: EventEnvelope<EventsMap['order.confirmed']>[]): Promise<void> {
    await this.notify(events, orderConfirmedNotification);
  }

  @EventBatchHandler(Topics.OrderRejected)
  async onOrdersRejected(events: EventEnvelope<EventsMap['order.rejected']>[]): Promise<void> {
    await this.notify(events, orderRejectedNotification);
  }

  @EventBatchHandler(Topics.OrderCancelled)
  async onOrdersCancelled(events: EventEnvelope<EventsMap['order.cancelled']>[]): Promise<void> {
    await this.notify(events, orderCancelledNotification);
  }

  /** the account is gone: so is what we kept for it (deleting twice is harmless) */
  @EventHandler(Topics.UserDeleted)
  async onUserDeleted({ payload }: EventEnvelope<EventsMap['user.deleted']>): Promise<void> {
    await this.notifications.dropUser(payload.userId);
  }

  /** the events that queued up on a partition, in one round trip (NotificationsStore.addAll) */
  private async notify<E extends EventEnvelope>(events: E[], render: (event: E) => Addressed): Promise<void> {
    const added = await this.notifications.addAll(events.map((event) => ({ eventId: event.id, addressed: render(event) })));
    for (const [i, event] of events.entries())
      if (!added[i]) this.log.debug({ eventId: event.id, type: event.type }, 'event handled before; no second notification');
  }
}
