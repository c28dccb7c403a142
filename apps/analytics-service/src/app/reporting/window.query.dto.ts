import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { isISO8601, IsOptional, ValidateBy } from 'class-validator';

// a date alone means midnight UTC; a time needs its zone, since a server-local time would be a guess
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** a real calendar instant (no 31 February) written with its zone */
export const isInstant = (value: unknown): boolean =>
  typeof value === 'string' && INSTANT.test(value) && isISO8601(value, { strict: true, strictSeparator: true });

function IsInstant(field: string, description: string) {
  return applyDecorators(
    ApiPropertyOptional({ description, example: '2025-01-31T00:00:00Z', format: 'date-time' }),
    IsOptional(),
    ValidateBy({
      name: 'isInstant',
      validator: {
        validate: isInstant,
        defaultMessage: () => `${field} must be an ISO 8601 date or timestamp with a zone, e.g. 2025-01-31T00:00:00Z`,
      },
    }),
  );
}

/** ?from&to of every report; defaults and limits are applied by resolveWindow */
export class WindowQuery {
  @IsInstant('from', 'Start, inclusive (widened down to the bucket it falls in). Default: `to` minus 24 h. Encode a `+` offset as %2B.')
  from?: string;

  @IsInstant(
    'to',
    'End, exclusive (widened up to a bucket boundary). Default: now, rounded up to the bucket. Must be after `from`, and at most 400 days after it.',
  )
  to?: string;
}
