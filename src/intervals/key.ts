import fs from 'node:fs';
import path from 'node:path';
import { EXIT, KneecheckError } from '../errors.ts';
import { removeSecretFile, writeSecretJson } from '../secret-file.ts';

/** The key file in the data folder; 0600 like Strava's tokens (DESIGN §8), never printed. */
export const KEY_FILE = 'intervals-key.json';

/** What `intervals connect` stores. */
export interface StoredKey {
  /** The athlete id as intervals.icu answered it (`i12345`). */
  athleteId: string;
  athleteName: string | null;
  /** The personal API key (Settings → Developer settings); a secret. */
  apiKey: string;
  /** ISO time of the connect. */
  connectedAt: string;
}

export const keyPath = (dataDir: string): string => path.join(dataDir, KEY_FILE);

/** The stored key, or null when not connected (or the file is not one kneecheck wrote). */
export function readKey(dataDir: string): StoredKey | null {
  let text: string;
  try {
    text = fs.readFileSync(keyPath(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const k = JSON.parse(text) as Partial<StoredKey>;
    return typeof k.apiKey === 'string' && k.apiKey.length > 0 && typeof k.athleteId === 'string'
      ? {
          athleteId: k.athleteId,
          athleteName: typeof k.athleteName === 'string' ? k.athleteName : null,
          apiKey: k.apiKey,
          connectedAt: typeof k.connectedAt === 'string' ? k.connectedAt : '',
        }
      : null;
  } catch {
    return null;
  }
}

/** Writes the key file atomically with mode 0600, whatever the umask. */
export function writeKey(dataDir: string, k: StoredKey): void {
  writeSecretJson(keyPath(dataDir), k);
}

export function deleteKey(dataDir: string): boolean {
  return removeSecretFile(keyPath(dataDir));
}

export class IntervalsNotConnectedError extends KneecheckError {
  constructor(why = 'not connected to intervals.icu') {
    super(`${why}: run \`kneecheck intervals connect\` first`, { exitCode: EXIT.usage });
    this.name = 'IntervalsNotConnectedError';
  }
}
