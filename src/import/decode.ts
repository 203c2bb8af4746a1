import { readerFor } from '../../importers/registry.ts';
import type { ImportContext, ImportOutcome } from '../../importers/types.ts';

/** Work sent to a decoder (in a worker thread or inline). */
export interface DecodeJob {
  file: string;
  bytes: Uint8Array;
  sha256: string;
}

/**
 * Runs the importer for one file's bytes. A decoder that throws on strange input is a failed
 * file with the reason, never a crash of the import.
 */
export function decodeJob(job: DecodeJob, ctx: ImportContext): ImportOutcome {
  try {
    return readerFor(job.file).read({ bytes: job.bytes, sha256: job.sha256 }, ctx);
  } catch (e) {
    return {
      kind: 'failed',
      error: `could not decode: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
