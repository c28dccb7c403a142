import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { PageQuery } from '@ecom/http';
import { MongoOutboxRelay, newDocumentOutbox, withEvents, type OutboxEntry } from '@ecom/store-mongo';
import { USER_MODEL, emailKeyOf, type UserDocument } from './user.schema';

export type NewUser = Pick<UserDocument, '_id' | 'email' | 'name' | 'passwordHash' | 'role'>;

export class DuplicateEmailError extends Error {}

/** the only place that touches the users collection */
@Injectable()
export class UsersRepository implements OnModuleInit {
  constructor(
    @InjectModel(USER_MODEL) private readonly users: Model<UserDocument>,
    private readonly relay: MongoOutboxRelay,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.users as never);
  }

  /** inserts the user and its events in one write */
  async create(user: NewUser, events: readonly OutboxEntry[]): Promise<UserDocument> {
    try {
      const doc = await this.users.create({
        ...user,
        emailKey: emailKeyOf(user.email),
        ...newDocumentOutbox(events),
      });
      this.relay.written(this.users as never, doc._id);
      return doc.toObject();
    } catch (e) {
      if ((e as { code?: number }).code === 11000) throw new DuplicateEmailError(user.email);
      throw e;
    }
  }

  findByEmail(email: string): Promise<UserDocument | null> {
    return this.users
      .findOne({ emailKey: emailKeyOf(email), ...LIVE })
      .lean<UserDocument>()
      .exec();
  }

  findById(id: string): Promise<UserDocument | null> {
    return this.users
      .findOne({ _id: id, ...LIVE })
      .lean<UserDocument>()
      .exec();
  }

  /** oldest first, ties broken by id, so pages never overlap or skip */
  async list(q: PageQuery): Promise<{ items: UserDocument[]; total: number }> {
    const [items, total] = await Promise.all([
      this.users
        .find(LIVE)
        .sort({ createdAt: 1, _id: 1 })
        .skip((q.page - 1) * q.limit)
        .limit(q.limit)
        .lean<UserDocument[]>()
        .exec(),
      this.users.countDocuments(LIVE).exec(),
    ]);
    return { items, total };
  }

  async update(id: string, changes: Partial<Pick<UserDocument, 'name' | 'passwordHash'>>): Promise<UserDocument | null> {
    return this.users
      .findOneAndUpdate({ _id: id, ...LIVE }, { $set: changes, $inc: { rev: 1 } }, { new: true })
      .lean<UserDocument>()
      .exec();
  }

  /**
   * erases the personal data and frees the email, in the same write as the user.deleted event;
   * the document stays as a tombstone. false when there was no such live account.
   */
  async softDelete(id: string, events: readonly OutboxEntry[]): Promise<boolean> {
    const res = await this.users.updateOne(
      { _id: id, ...LIVE },
      withEvents(
        { $set: { deletedAt: new Date(), email: 'deleted', emailKey: `deleted:${id}`, name: 'deleted', passwordHash: '-' } },
        events,
      ),
    );
    if (res.modifiedCount === 1) this.relay.written(this.users as never, id);
    return res.modifiedCount === 1;
  }
}

// a query filter for accounts that are not deleted; $exists works alike on mongod and the local server
const LIVE = { deletedAt: { $exists: false } };
