import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class LoginRequest {
  // no pattern: an address that cannot be an account's is answered like a wrong password (401), so
  // a login never tells which addresses are registered
  @ApiProperty({ example: 'ann@example.com', maxLength: 254, description: 'The email the account was registered with' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ maxLength: 128, description: 'Checked as it is; the registration rules apply only when a password is set' })
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
