import { Controller, Logger } from '@nestjs/common';
import { Topics, type EventEnvelope, type EventsMap } from '@ecom/events';
import { EventHandler } from '@ecom/kafka';
import type { Addressed } from '../notifications/notification';
import { NotificationsStore } from '../notifications/notifications.store';
import {
  orderCancelledNotification,
  orderConfirmedNotification,
  orderRejectedNotification,
  welcomeNotification,
} from '../notifications/render-notification';

/**
 * turns the events users care about into notifications. each event produces its notification
 * once however often kafka delivers it (NotificationsStore.add marks the event id in the same
 * script that writes), so a redelivery after a crash or a rebalance is harmless.
 */
@Controller()
export class NotifyMessageController {
  private readonly log = new Logger(NotifyMessageController.name);

  constructor(private readonly notifications: NotificationsStore) {}

  @EventHandler(Topics.UserRegistered)
  async onUserRegistered(event: EventEnvelope<EventsMap['user.registered']>): Promise<void> {
    await this.notify(event, welcomeNotification(event));
  }

  @EventHandler(Topics.OrderConfirmed)
  async onOrderConfirmed(event: EventEnvelope<EventsMap['order.confirmed']>): Promise<void> {
    await this.notify(event, orderConfirmedNotification(event));
  }

  @EventHandler(Topics.OrderRejected)
  async onOrderRejected(event: EventEnvelope<EventsMap['order.rejected']>): Promise<void> {
    await this.notify(event, orderRejectedNotification(event));
  }

  @EventHandler(Topics.OrderCancelled)
  async onOrderCancelled(event: EventEnvelope<EventsMap['order.cancelled']>): Promise<void> {
    await this.notify(event, orderCancelledNotification(event));
  }

  /** the account is gone: so is what we kept for it (deleting twice is harmless) */
  @EventHandler(Topics.UserDeleted)
  async onUserDeleted({ payload }: EventEnvelope<EventsMap['user.deleted']>): Promise<void> {
    await this.notifications.dropUser(payload.userId);
  }

  private async notify(event: EventEnvelope, addressed: Addressed): Promise<void> {
    const added = await this.notifications.add(event.id, addressed);
    if (!added) this.log.debug({ eventId: event.id, type: event.type }, 'event handled before; no second notification');
  }
}
