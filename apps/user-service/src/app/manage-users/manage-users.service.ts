import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '@ecom/auth';
import { Topics } from '@ecom/events';
import { pageOf, type Page, type PageQuery } from '@ecom/http';
import { MongoOutbox } from '@ecom/store-mongo';
import { hashPassword } from '../accounts/password';
import type { UserDocument } from '../accounts/user.schema';
import { UsersRepository } from '../accounts/users.repository';
import { assertSelfOrAdmin } from './user-access';
import type { UpdateMeRequest } from './update-me.request.dto';

@Injectable()
export class ManageUsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly outbox: MongoOutbox,
  ) {}

  async list(q: PageQuery): Promise<Page<UserDocument>> {
    const { items, total } = await this.users.list(q);
    return pageOf(items, total, q);
  }

  async get(caller: AuthUser, id: string): Promise<UserDocument> {
    assertSelfOrAdmin(caller, id);
    return (await this.users.findById(id)) ?? notFound();
  }

  async updateMe(caller: AuthUser, changes: UpdateMeRequest): Promise<UserDocument> {
    if (changes.name === undefined && changes.password === undefined) throw new BadRequestException('send a name, a password, or both');
    const update = {
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.password !== undefined && { passwordHash: await hashPassword(changes.password) }),
    };
    return (await this.users.update(caller.id, update)) ?? notFound();
  }

  async delete(caller: AuthUser, id: string): Promise<void> {
    assertSelfOrAdmin(caller, id);
    const event = this.outbox.event(Topics.UserDeleted, { userId: id }, { key: id });
    if (!(await this.users.softDelete(id, [event]))) notFound();
    this.outbox.flush();
  }
}

function notFound(): never {
  throw new NotFoundException('no such user');
}
