/** read from incoming requests and echoed on every response */
export const CORRELATION_HEADER = 'x-correlation-id';

// kubelet polls these every few seconds; logging each poll drowns the useful lines
export const QUIET_PATH_PREFIXES: readonly string[] = ['/health/', '/metrics'];

export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  // a credential in the query string (the stream token); the url itself is cleaned by the req serializer
  'req.query.token',
  'req.query.access_token',
];
