// shared by the indicator specs: a promise that never settles, as a hung server gives
export const never = <T>() => new Promise<T>(() => undefined);
export const TIMEOUT_MS = 30;
