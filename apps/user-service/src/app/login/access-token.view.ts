import { ApiProperty } from '@nestjs/swagger';
import type { AccessToken } from '@ecom/auth';

/** what a successful login answers, for the OpenAPI document */
export class AccessTokenView implements AccessToken {
  @ApiProperty({ description: 'A signed JWT (EdDSA); send it as `Authorization: Bearer <accessToken>`' })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ type: 'integer', minimum: 1, example: 900, description: 'Seconds until the token expires' })
  expiresIn!: number;
}
