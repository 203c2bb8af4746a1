import { parentPort, workerData } from 'node:worker_threads';
import type { ImportContext } from '../../importers/types.ts';
import { decodeJob } from './decode.ts';

interface Message {
  file: string;
  bytes: Uint8Array;
  sha256: string;
}

const ctx = (workerData as { ctx: ImportContext }).ctx;

parentPort?.on('message', (m: Message) => {
  // The bytes arrive as a Uint8Array owning its memory (moved or cloned): read as they are, not
  // copied again (a 60 MB file would be held twice).
  const bytes = m.bytes instanceof Uint8Array ? m.bytes : new Uint8Array(m.bytes);
  const outcome = decodeJob({ file: m.file, bytes, sha256: m.sha256 }, ctx);
  parentPort?.postMessage({ outcome });
});
