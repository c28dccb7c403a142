import { ApiProperty } from '@nestjs/swagger';
import type { UserDocument } from './user.schema';

/** what the api shows of a user: never the password or its hash */
export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['customer', 'admin'] }) role!: string;
  @ApiProperty() createdAt!: string;

  static of(doc: Pick<UserDocument, '_id' | 'email' | 'name' | 'role' | 'createdAt'>): UserView {
    return {
      id: doc._id,
      email: doc.email,
      name: doc.name,
      role: doc.role,
      createdAt: doc.createdAt.toISOString(),
    };
  }
}
