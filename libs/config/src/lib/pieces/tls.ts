import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * a CA file variable (POSTGRES_SSL_CA_FILE, ...): a path, checked only for being one when the config
 * loads. the file is read when the client is made (readCaFile): it is mounted from the operator's
 * Secret in the pod, and the manifests' checks load the config without it
 */
export const caFilePath = () => z.string().trim().min(1, 'must be a file path').optional();

/** the PEM text of the CA file `variable` names; an error that says which variable and why */
export function readCaFile(variable: string, path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`${variable}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${variable}: ${path} holds no PEM certificate`);
  return text;
}
