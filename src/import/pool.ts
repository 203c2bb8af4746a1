import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ImportContext, ImportOutcome } from '../../importers/types.ts';
import type { DecodeJob } from './decode.ts';

interface Pending {
  job: DecodeJob;
  resolve: (o: ImportOutcome) => void;
  /** The bytes' memory was handed over to the thread (no longer readable here). */
  moved?: boolean;
}

/**
 * Files up to this size (bytes) have their memory handed to the decoder thread instead of copied
 * (no copy, no garbage on this thread). Larger ones are copied, so that a file too big for its
 * thread's heap can be decoded once more on a thread with a larger one; a file this small decodes
 * in a few MB.
 */
const MOVE_MAX_BYTES = 512 * 1024;

/** The bytes own all of their ArrayBuffer (not a view into a shared or pooled one) and are small. */
const movable = (b: Uint8Array): boolean =>
  b.byteLength <= MOVE_MAX_BYTES &&
  b.byteOffset === 0 &&
  b.buffer instanceof ArrayBuffer &&
  b.buffer.byteLength === b.byteLength;

/** What a job whose bytes were handed over (and so cannot be decoded here) becomes when its thread fails. */
const lostText = (why: string) => `could not decode: the decoder ${why}; import the file again`;

// Built code runs worker.js beside this file; tests run the TypeScript sources directly.
const WORKER_URL = new URL(
  import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js',
  import.meta.url,
);

/**
 * Decoder threads by default: one per core but one. The main thread reads, hashes and stores
 * every file and keeps a core busy itself; a decoder thread on every core only makes the threads
 * take turns. Measured on 2 cores, `kneecheck import` of 1,000 files: one decoder thread 1.10-1.16 s
 * wall and 1.4 s CPU, two 1.29-1.61 s wall and 1.6-1.9 s CPU.
 */
export const defaultThreads = (): number => Math.max(1, os.availableParallelism() - 1);

/**
 * Heap limits of a decoder thread. Left alone, V8 grows each thread's young generation to 64 MB
 * semi-spaces and lets promoted garbage pile up in the old generation: 150 MB or more per thread
 * over a long import, although decoding a one-hour file keeps only a few MB alive (a 72-hour 1 Hz
 * file fits too; a 100-hour one does not). With these limits a thread's heap stays at about
 * 50-90 MB, for a few percent more GC time. A file too big for them is decoded once more on a
 * thread of its own with {@link LARGE_HEAP_MB}, never on the main thread (where a poison file of
 * millions of messages took the whole process down).
 */
export const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 128 };

/**
 * The old-generation heap (MB) of the one-off thread that decodes a file too big for a pool
 * thread: a 100-hour 1 Hz run (360,000 records) fits; what does not fit fails as too large.
 */
export const LARGE_HEAP_MB = 512;

/** What a file whose decoder thread ran out of heap (`heapMb`, its old generation) becomes. */
export const outOfMemoryText = (heapMb = WORKER_HEAP_LIMITS.maxOldGenerationSizeMb): string =>
  `could not decode: too large to decode within ${heapMb} MB ` +
  'of memory (a FIT file of one activity needs a few MB); not a recording kneecheck can read';

/**
 * Up to `size` worker threads decoding FIT files in parallel (decoding is CPU-bound; the main
 * thread reads files and writes the database). Threads start on the first job that finds none
 * idle, so a pool that only ever sees duplicates starts none; the daemon keeps one pool for its
 * whole life, and with `idleMs` its threads stop once none has had a job for that long (their
 * memory goes back after a burst; the next job starts them again). A worker that dies fails only
 * the file in hand; one that runs out of heap hands its file to a thread with a larger heap
 * ({@link LARGE_HEAP_MB}), and a file too big for that fails as too large ({@link outOfMemoryText}).
 */
export class DecodePool {
  readonly size: number;
  readonly #ctx: ImportContext;
  readonly #idleMs: number | null;
  readonly #limits: typeof WORKER_HEAP_LIMITS;
  readonly #largeHeapMb: number;
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Pending>();
  readonly #queue: Pending[] = [];
  #idleTimer: NodeJS.Timeout | null = null;
  #closed = false;

  /**
   * `opts.idleMs`: stop the threads after this many ms without a job (default: never).
   * `opts.heapMb`: a thread's old-generation heap, MB (default {@link WORKER_HEAP_LIMITS});
   * `opts.largeHeapMb`: that of the thread a file too big for it is decoded on once more
   * (default {@link LARGE_HEAP_MB}; 0: none, the file fails).
   */
  constructor(
    size: number,
    ctx: ImportContext,
    opts: { idleMs?: number; heapMb?: number; largeHeapMb?: number } = {},
  ) {
    this.size = size;
    this.#ctx = ctx;
    this.#idleMs = opts.idleMs ?? null;
    this.#largeHeapMb = opts.largeHeapMb ?? LARGE_HEAP_MB;
    const old = opts.heapMb ?? WORKER_HEAP_LIMITS.maxOldGenerationSizeMb;
    this.#limits = {
      maxYoungGenerationSizeMb: Math.min(WORKER_HEAP_LIMITS.maxYoungGenerationSizeMb, old),
      maxOldGenerationSizeMb: old,
    };
  }

  /** Threads running now (started on demand, at most {@link size}). */
  get threads(): number {
    return this.#idle.length + this.#busy.size;
  }

  /** Jobs queued or running. */
  get load(): number {
    return this.#queue.length + this.#busy.size;
  }

  decode(job: DecodeJob): Promise<ImportOutcome> {
    if (this.#closed) return this.#inline(job);
    return new Promise((resolve) => {
      this.#queue.push({ job, resolve });
      this.#pump();
    });
  }

  /** Stops every thread; a job in hand, waiting or given afterwards is decoded on the calling thread. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    const all = [...this.#idle, ...this.#busy.keys()];
    const left = [...this.#busy.values(), ...this.#queue];
    this.#idle.length = 0;
    this.#busy.clear();
    this.#queue.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
    // Jobs in hand or waiting (nobody closes a pool while it is used; just in case) are not lost.
    await Promise.all(
      left.map(async (p) =>
        p.resolve(
          p.moved ? { kind: 'failed', error: lostText('was stopped') } : await this.#inline(p.job),
        ),
      ),
    );
  }

  /**
   * Decodes on the calling thread (a closed pool). The decoders load
   * here, not with the pool: the main thread of an import usually never needs them.
   */
  async #inline(job: DecodeJob): Promise<ImportOutcome> {
    const { decodeJob } = await import('./decode.ts');
    return decodeJob(job, this.#ctx);
  }

  /** Decodes a file too big for a pool thread once more, on a thread of its own with a larger heap. */
  async #large(job: DecodeJob): Promise<ImportOutcome> {
    const one = new DecodePool(1, this.#ctx, { heapMb: this.#largeHeapMb, largeHeapMb: 0 });
    try {
      return await one.decode(job);
    } finally {
      await one.close();
    }
  }

  #spawn(): Worker {
    const w = new Worker(WORKER_URL, {
      workerData: { ctx: this.#ctx },
      resourceLimits: this.#limits,
    });
    w.on('message', (m: { outcome: ImportOutcome }) => {
      const p = this.#busy.get(w);
      this.#busy.delete(w);
      this.#idle.push(w);
      p?.resolve(m.outcome);
      this.#pump();
    });
    w.on('error', (e) => {
      const p = this.#busy.get(w);
      this.#busy.delete(w);
      if ((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const heapMb = this.#limits.maxOldGenerationSizeMb;
        if (p && !p.moved && this.#largeHeapMb > heapMb) void this.#large(p.job).then(p.resolve);
        else p?.resolve({ kind: 'failed', error: outOfMemoryText(heapMb) });
      } else {
        p?.resolve({ kind: 'failed', error: `decoder crashed: ${e.message}` });
      }
      // The next job that finds no idle thread starts a new one.
      if (!this.#closed) this.#pump();
    });
    w.unref();
    return w;
  }

  /** With `idleMs`: once every thread is idle, stops them all after that long without a job. */
  #watchIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    if (this.#idleMs === null || this.#closed || this.#busy.size > 0 || this.#idle.length === 0) {
      return;
    }
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.#busy.size > 0 || this.#queue.length > 0) return;
      for (const w of this.#idle.splice(0)) void w.terminate();
    }, this.#idleMs);
    this.#idleTimer.unref();
  }

  #pump(): void {
    while (!this.#closed && this.#queue.length > this.#idle.length && this.threads < this.size) {
      this.#idle.push(this.#spawn());
    }
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop();
      const p = this.#queue.shift();
      if (!w || !p) return;
      this.#busy.set(w, p);
      w.ref();
      try {
        const { file, bytes, sha256 } = p.job;
        const message = { file, bytes, sha256 };
        if (movable(bytes)) {
          try {
            w.postMessage(message, [bytes.buffer as ArrayBuffer]);
            p.moved = true;
          } catch {
            // Not transferable after all (Node marks its pooled Buffers so): copied instead.
            w.postMessage(message);
          }
        } else w.postMessage(message); // copied by structured clone
      } catch (e) {
        this.#busy.delete(w);
        this.#idle.push(w);
        p.resolve({
          kind: 'failed',
          error: `could not hand the file to a decoder: ${(e as Error).message}`,
        });
      }
    }
    for (const w of this.#idle) w.unref();
    this.#watchIdle();
  }
}
