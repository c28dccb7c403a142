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
  /** set when the account is deleted: the document stays as a tombstone until its event is sent. never written
   *  as null, which queries treat as absent (LIVE) */
  deletedAt?: Date | null;
}

/** the users collection (UsersRepository): an email once among live accounts (a deleted one's key is freed), the relay's flag, and the list's order */
export const USERS: CollectionSpec = {
  name: 'users',
  indexes: [
    // lower-cased once (emailKeyOf), so "Ann@x.io" and "ann@x.io" are one account
    { key: { emailKey: 1 }, unique: true },
    outboxIndex,
    // the admin's list (UsersRepository.list): live accounts in their order, read and counted off the index
    { key: { deletedAt: 1, createdAt: 1, _id: 1 } },
  ],
};

export const emailKeyOf = (email: string) => email.trim().toLowerCase();
