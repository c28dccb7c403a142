import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { EMAIL_PATTERN } from '@ecom/events';

/** a letter and a digit, in either order (JSON Schema patterns are not anchored) */
export const PASSWORD_PATTERN = '[A-Za-z][\\s\\S]*\\d|\\d[\\s\\S]*[A-Za-z]';

export class RegisterUserRequest {
  @ApiProperty({ example: 'ann@example.com', format: 'email', pattern: EMAIL_PATTERN.source, maxLength: 254 })
  @IsString()
  @Matches(EMAIL_PATTERN, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({
    minLength: 10,
    maxLength: 128,
    pattern: PASSWORD_PATTERN,
    description: 'at least 10 characters, with a letter and a digit',
  })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(128)
  @Matches(/[A-Za-z]/, { message: 'password must contain a letter' })
  @Matches(/\d/, { message: 'password must contain a digit' })
  password!: string;

  @ApiProperty({ example: 'Ann', minLength: 1, maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}
