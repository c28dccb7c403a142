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

/**
 * claimEvent for many events in one statement: the ids among them not processed before, now
 * recorded in the caller's transaction. an id given twice is claimed once.
 */
export async function claimEvents(em: EntityManager, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 1) return new Set((await claimEvent(em, consumer, eventIds[0])) ? eventIds : []);
  const rows: { event_id: string }[] = await em.query(
    'insert into processed_event (consumer, event_id) select $1, unnest($2::uuid[]) on conflict do nothing returning event_id',
    [consumer, [...new Set(eventIds)]],
  );
  return new Set(rows.map((r) => r.event_id));
}
