import { createEnvelope, Topics } from '@ecom/events';
import { newDocumentOutbox, withEvents, type OutboxEntry } from './outbox-fields';

const entry = (): OutboxEntry => {
  const envelope = createEnvelope(Topics.UserRegistered, { userId: 'u', email: 'a@b.co', name: 'A', role: 'customer' }, { key: 'u' });
  return { id: envelope.id, topic: Topics.UserRegistered, envelope };
};

describe('withEvents', () => {
  it('merges the outbox push into an update that already sets and increments', () => {
    const e = entry();
    const update = withEvents({ $set: { name: 'B' }, $inc: { logins: 1 }, $push: { tags: 'x' } }, [e]);
    expect(update).toEqual({
      $set: { name: 'B', outboxPending: true },
      $inc: { logins: 1, rev: 1 },
      $push: { tags: 'x', outbox: { $each: [e] } },
    });
  });

  it('leaves an update without events untouched', () => {
    const u = { $set: { a: 1 } };
    expect(withEvents(u, [])).toBe(u);
  });

  it('initialises a new document as pending only when it has events', () => {
    expect(newDocumentOutbox([]).outboxPending).toBe(false);
    expect(newDocumentOutbox([entry()])).toMatchObject({ outboxPending: true, rev: 0 });
  });
});
