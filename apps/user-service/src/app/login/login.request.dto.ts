import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class LoginRequest {
  @ApiProperty({ example: 'ann@example.com' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(128)
  password!: string;

  @ApiPropertyOptional({
    maxLength: 4096,
    description:
      'Only when a login was refused with 401 and a `challenge` field: the token of the passed challenge ' +
      "(for 'captcha', the CAPTCHA widget's response token). Ignored otherwise.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  challengeToken?: string;
}
