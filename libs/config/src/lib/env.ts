import { z } from 'zod';

// small building blocks, so every piece reports problems the same way

export const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

export const positiveInt = (fallback: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be above 0').default(fallback);

/** a whole number from min to max */
export const intBetween = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`)
    .default(fallback);

/** a non-empty string; an empty value is an error, not "use the default" */
export const text = (fallback?: string) => {
  const s = z.string().trim().min(1, 'must not be empty');
  return fallback === undefined ? s : s.default(fallback);
};

/** comma-separated host:port list */
export const hostList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'each entry must be host:port'))
        .min(1, 'must list at least one host:port, e.g. 127.0.0.1:9092'),
    );

/** a comma-separated host:port list that may be left unset (undefined), but not set empty */
export const optionalHostList = () =>
  z
    .string()
    .optional()
    .transform((v) =>
      v
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'each entry must be host:port'))
        .min(1, 'must list at least one host:port, or be unset')
        .optional(),
    );

export const url = (fallback: string, protocols: RegExp) =>
  z
    .string()
    .trim()
    .default(fallback)
    .pipe(z.url({ protocol: protocols, error: 'must be a valid URL' }));

export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');
