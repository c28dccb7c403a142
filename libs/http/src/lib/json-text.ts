import { isUtf8 } from 'node:buffer';
import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

// what no text field of ours means to hold: the C0 controls but tab, line feed and carriage
// return, and DEL. a NUL in a name breaks whatever later reads it as a C string or a log line
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

// half a surrogate pair, matched by code unit (String.prototype.isWellFormed is es2024)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const pathOf = (path: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

function badText(text: string): string | undefined {
  if (CONTROL.test(text)) return 'holds a control character';
  // a JSON escape can make half a surrogate pair, which no store can encode
  if (LONE_SURROGATE.test(text)) return 'holds an unpaired surrogate (not Unicode text)';
  return undefined;
}

/**
 * the first string of a parsed JSON body, key or value, that is not plain text, as
 * "<path> <what is wrong>"; undefined when every string is fine. iterative, like nestsDeeperThan.
 */
export function unsafeTextIn(value: unknown): string | undefined {
  const pending: [unknown, string][] = [[value, '$']];
  while (pending.length > 0) {
    const [v, path] = pending.pop() as [unknown, string];
    if (typeof v === 'string') {
      const problem = badText(v);
      if (problem) return `${path} ${problem}`;
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        const problem = badText(key);
        if (problem) return `the key ${JSON.stringify(key.replace(CONTROL, '?'))} at ${path} ${problem}`;
        pending.push([child, Array.isArray(v) ? `${path}[${key}]` : pathOf(path, key)]);
      }
    }
  }
  return undefined;
}

/**
 * parses application/json bodies as fastify does (with its protection against __proto__ and
 * constructor keys), after refusing bytes that are not UTF-8: decoded as they are, they would be
 * stored as U+FFFD in place of what the client meant.
 */
export function parseJsonAsUtf8(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) return done(new BadRequestException('the JSON body is not valid UTF-8'), undefined);
    parse(request, bytes.toString('utf8'), done);
  });
}
