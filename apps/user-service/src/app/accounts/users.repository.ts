import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection, Filter } from 'mongodb';
import type { PageQuery } from '@ecom/http';
import { InjectCollection, MongoOutboxRelay, newDocumentOutbox, withEvents, type OutboxEntry } from '@ecom/store-mongo';
import { USERS, emailKeyOf, type UserDocument } from './user.schema';

export type NewUser = Pick<UserDocument, '_id' | 'email' | 'name' | 'passwordHash' | 'role'>;

export class DuplicateEmailError extends Error {}

/** the only place that touches the users collection */
@Injectable()
export class UsersRepository implements OnModuleInit {
  constructor(
    @InjectCollection(USERS.name) private readonly users: Collection<UserDocument>,
    private readonly relay: MongoOutboxRelay,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.users);
  }

  /** inserts the user and its events in one write */
  async create(user: NewUser, events: readonly OutboxEntry[]): Promise<UserDocument> {
    const now = new Date();
    const doc: UserDocument = { ...user, emailKey: emailKeyOf(user.email), createdAt: now, updatedAt: now, ...newDocumentOutbox(events) };
    try {
      await this.users.insertOne(doc);
      this.relay.written(this.users, doc._id);
      return doc;
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw new DuplicateEmailError(user.email);
      throw e;
    }
  }

  findByEmail(email: string): Promise<UserDocument | null> {
    return this.users.findOne({ emailKey: emailKeyOf(email), ...LIVE });
  }

  findById(id: string): Promise<UserDocument | null> {
    return this.users.findOne({ _id: id, ...LIVE });
  }

  /** oldest first, ties broken by id, so pages never overlap or skip */
  async list(q: PageQuery): Promise<{ items: UserDocument[]; total: number }> {
    const [items, total] = await Promise.all([
      this.users
        .find(LIVE)
        .sort({ createdAt: 1, _id: 1 })
        .skip((q.page - 1) * q.limit)
        .limit(q.limit)
        .toArray(),
      this.users.countDocuments(LIVE),
    ]);
    return { items, total };
  }

  async update(id: string, changes: Partial<Pick<UserDocument, 'name' | 'passwordHash'>>): Promise<UserDocument | null> {
    return this.users.findOneAndUpdate(
      { _id: id, ...LIVE },
      { $set: { ...changes, updatedAt: new Date() }, $inc: { rev: 1 } },
      { returnDocument: 'after' },
    );
  }

  /**
   * erases the personal data and frees the email, in the same write as the user.deleted event;
   * the document stays as a tombstone. false when there was no such live account.
   */
  async softDelete(id: string, events: readonly OutboxEntry[]): Promise<boolean> {
    const res = await this.users.updateOne(
      { _id: id, ...LIVE },
      withEvents<UserDocument>(
        {
          $set: { deletedAt: new Date(), updatedAt: new Date(), email: 'deleted', emailKey: `deleted:${id}`, name: 'deleted', passwordHash: '-' },
        },
        events,
      ),
    );
    if (res.modifiedCount === 1) this.relay.written(this.users, id);
    return res.modifiedCount === 1;
  }
}

// accounts that are not deleted: deletedAt is a date or absent, and an equality to null (which matches an absent
// field) is what an index on it answers as a range, on mongod and on the local server alike
const LIVE: Filter<UserDocument> = { deletedAt: null };
