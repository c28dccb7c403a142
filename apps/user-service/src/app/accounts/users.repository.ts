import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import {
  MongoOutboxRelay,
  newDocumentOutbox,
  type OutboxEntry,
} from '@ecom/kafka';
import { USER_MODEL, emailKeyOf, type UserDocument } from './user.schema';

export type NewUser = Pick<
  UserDocument,
  '_id' | 'email' | 'name' | 'passwordHash' | 'role'
>;

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
  async create(
    user: NewUser,
    events: readonly OutboxEntry[],
  ): Promise<UserDocument> {
    try {
      const doc = await this.users.create({
        ...user,
        emailKey: emailKeyOf(user.email),
        ...newDocumentOutbox(events),
      });
      return doc.toObject();
    } catch (e) {
      if ((e as { code?: number }).code === 11000)
        throw new DuplicateEmailError(user.email);
      throw e;
    }
  }

  findByEmail(email: string): Promise<UserDocument | null> {
    return this.users
      .findOne({ emailKey: emailKeyOf(email) })
      .lean<UserDocument>()
      .exec();
  }

  findById(id: string): Promise<UserDocument | null> {
    return this.users.findById(id).lean<UserDocument>().exec();
  }
}
