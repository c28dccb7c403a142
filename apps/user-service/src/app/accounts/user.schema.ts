import { Schema } from 'mongoose';
import type { Role } from '@ecom/auth';
import { outboxSchemaFields, type OutboxFields } from '@ecom/store-mongo';

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

export const USER_MODEL = 'User';

export const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    // lower-cased once here, so "Ann@x.io" and "ann@x.io" are one account
    emailKey: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, required: true, enum: ['customer', 'admin'] },
    deletedAt: { type: Date },
    ...outboxSchemaFields,
  },
  { timestamps: true, versionKey: false },
);

export const emailKeyOf = (email: string) => email.trim().toLowerCase();
