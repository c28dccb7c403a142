import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PASSWORD_PATTERN } from '../register-user/register-user.request.dto';

// left out is no change; null is no name or password, and is refused (IsOptional would let it through)
const Optional = () => ValidateIf((_request, value) => value !== undefined);

export class UpdateMeRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({
    minLength: 10,
    maxLength: 128,
    pattern: PASSWORD_PATTERN,
    description: 'at least 10 characters, with a letter and a digit',
  })
  @Optional()
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(128)
  @Matches(/[A-Za-z]/, { message: 'password must contain a letter' })
  @Matches(/\d/, { message: 'password must contain a digit' })
  password?: string;
}
