/** The import pipeline's shared shapes: what `collectInputs` (inputs.ts) and the archive reader (zip.ts) hand the pipeline. */

import type { AppleItem } from './apple.ts';

/** One thing to import: a file on disk, an archive member, an Apple Health export, or a verdict reached without decoding. */
export type InputItem =
  | AppleItem
  | { file: string; kind: 'path'; path: string }
  | { file: string; kind: 'bytes'; load: () => Promise<Buffer> }
  | { file: string; kind: 'skipped'; reason: string }
  | { file: string; kind: 'failed'; error: string };

export interface Inputs {
  items: InputItem[];
  /** Closes the archives the items read from and removes their temporary files. */
  close(): void;
}
