/** query parameters that carry credentials (the notification stream takes ?token=) */
export const SECRET_QUERY_PARAMS: readonly string[] = ['token', 'access_token'];

const SECRET_PARAM = new RegExp(`([?&](?:${SECRET_QUERY_PARAMS.join('|')})=)[^&#]*`, 'gi');

/** the url with the value of every credential-carrying query parameter replaced: fit for logs and error bodies */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAM, '$1[Redacted]');
}
