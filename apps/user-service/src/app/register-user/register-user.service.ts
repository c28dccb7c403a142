import { ConflictException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Role } from '@ecom/auth';
import { Topics } from '@ecom/events';
import { MongoOutbox } from '@ecom/store-mongo';
import { hashPassword } from '../accounts/password';
import type { UserDocument } from '../accounts/user.schema';
import { DuplicateEmailError, UsersRepository } from '../accounts/users.repository';

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly role?: Role;
}

/** creates the account and its user.registered event in one write */
@Injectable()
export class RegisterUserService {
  constructor(
    private readonly users: UsersRepository,
    private readonly outbox: MongoOutbox,
  ) {}

  async register({ email, password, name, role = 'customer' }: Registration): Promise<UserDocument> {
    const id = randomUUID();
    const event = this.outbox.event(Topics.UserRegistered, { userId: id, email, name, role }, { key: id });
    try {
      const user = await this.users.create(
        {
          _id: id,
          email: email.trim(),
          name,
          role,
          passwordHash: await hashPassword(password),
        },
        [event],
      );
      this.outbox.flush();
      return user;
    } catch (e) {
      if (e instanceof DuplicateEmailError) throw new ConflictException('an account with this email already exists');
      throw e;
    }
  }
}
