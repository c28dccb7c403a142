// the development Ed25519 private key that was committed to this repository until 2026-11. it is in
// the git history, so anyone has it: it is kept here on purpose, as the attacker's key, to prove that
// no service accepts what it signs. the secret scan allowlists exactly this file (.gitleaks.toml).
export const PUBLISHED_DEV_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIBA4jqjbDzkbcV1ZT2HtdJL05wSgiau9B9NVyvijKJpf
-----END PRIVATE KEY-----`;
