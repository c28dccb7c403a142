import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class StreamQuery {
  @ApiPropertyOptional({
    maxLength: 200,
    description:
      'a single-use stream token from POST /api/notifications/stream-tokens, valid 60 s; for clients that cannot send ' +
      'an Authorization header (the browser EventSource). Ignored when an Authorization header is sent.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;
}

export class StreamTokenView {
  @ApiProperty({ description: 'opaque; pass it as ?token= to GET /api/notifications/stream, once' }) token!: string;
  @ApiProperty({ description: 'seconds it stays valid', example: 60 }) expiresIn!: number;
}
