import type { EntityManager } from 'typeorm';

/**
 * records that `consumer` processed `eventId`, inside the caller's transaction. false means it
 * was processed before: skip the effect. the record and the effect commit together.
 */
export async function claimEvent(em: EntityManager, consumer: string, eventId: string): Promise<boolean> {
  const rows: unknown[] = await em.query(
    'insert into processed_event (consumer, event_id) values ($1, $2) on conflict do nothing returning event_id',
    [consumer, eventId],
  );
  return rows.length === 1;
}
