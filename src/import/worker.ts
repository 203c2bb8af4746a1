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
  const outcome = decodeJob(
    { file: m.file, bytes: new Uint8Array(m.bytes), sha256: m.sha256 },
    ctx,
  );
  parentPort?.postMessage({ outcome });
});
