/** a readiness check slower than this counts as down; kubelet's own probe timeout is 1 s by default */
export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/** the names of the checks that gate readiness (HealthModule.forRoot); unset: every check */
export const READINESS_GATES = Symbol('ecom:readiness-gates');
