import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a secret (tokens, an API key) as JSON into `file`, atomically and with mode 0600
 * whatever the umask (DESIGN §8): written beside it under a temporary name, then renamed.
 */
export function writeSecretJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFileSync is filtered by the umask; chmod is not.
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** Removes a secret file; false when there was none. */
export function removeSecretFile(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}
