import type { Output } from '../stdio.ts';

const mb = (bytes: number): number => Math.round(bytes / (1024 * 1024));

/** A one-line progress bar on stderr, only when stderr is a terminal. */
export class ProgressBar {
  readonly #stream: Output;
  readonly #label: string;
  #last = 0;
  #shown = false;

  constructor(label: string, stream: Output = process.stderr) {
    this.#stream = stream;
    this.#label = label;
  }

  static enabled(total: number, stream: Output = process.stderr): boolean {
    return Boolean(stream.isTTY) && total >= 10;
  }

  /** `done`/`total` as the bar writes them: counts, or for `unit: 'MB'` bytes shown as MB. */
  update(done: number, total: number, unit?: 'MB'): void {
    const now = Date.now();
    if (done < total && now - this.#last < 100) return;
    this.#last = now;
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    this.#stream.write(
      `\r${this.#label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${
        unit === 'MB' ? `${mb(done)}/${mb(total)} MB` : `${done}/${total}`
      }`,
    );
    this.#shown = true;
  }

  /** Clears the bar so that the next line starts clean. */
  clear(): void {
    if (this.#shown) this.#stream.write('\r\x1b[2K');
    this.#shown = false;
  }
}
