// defaults for how the platform waits out an outage, in one place

/** what a 503 tells clients to wait before retrying, in seconds */
export const STORE_RETRY_AFTER_SECONDS = 2;
