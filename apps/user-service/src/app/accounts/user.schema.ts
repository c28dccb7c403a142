import type { Role } from '@ecom/auth';
import { outboxIndex, type CollectionSpec, type OutboxFields } from '@ecom/store-mongo';

export interface UserDocument extends OutboxFields {
  _id: string;
  /** as typed at registration; emailKey is what uniqueness and login use */
  email: string;
  emailKey: string;
  name: string;
  passwordHash: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
  /** set when the account is deleted: the document stays as a tombstone until its event is sent */
  deletedAt?: Date;
}

/** the users collection (UsersRepository): an email once among live accounts (a deleted one's key is freed), and the relay's flag */
export const USERS: CollectionSpec = {
  name: 'users',
  // lower-cased once (emailKeyOf), so "Ann@x.io" and "ann@x.io" are one account
  indexes: [{ key: { emailKey: 1 }, unique: true }, outboxIndex],
};

export const emailKeyOf = (email: string) => email.trim().toLowerCase();
