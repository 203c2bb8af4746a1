import fs from 'node:fs';
import { EXIT } from './errors.ts';

/** Where a command writes its output or its messages: stdout, stderr, or a test's collector. */
export interface Output {
  write(text: string): unknown;
  /** A terminal: colours, a progress bar and wrapping at its width make sense. */
  readonly isTTY?: boolean;
  /** The terminal's width in columns. */
  readonly columns?: number;
}

/** Ends the process with its exit code, quietly: what is left to write has no reader. */
const readerGone = (): never => process.exit(process.exitCode ?? EXIT.ok);

/** For the pause before writing again into a full non-blocking pipe. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes `text` whole to the descriptor `fd` with `fs.writeSync`, however many writes it takes.
 * A pipe another process made non-blocking is waited on while full (EAGAIN); a reader that has
 * gone (EPIPE: `kneecheck runs --json | head`) ends the process quietly with its exit code.
 */
export function writeFd(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += fs.writeSync(fd, bytes, done, bytes.length - done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 5);
      else if (code === 'EPIPE') readerGone();
      else throw e;
    }
  }
}

/**
 * A pipe, a socket or a file written with {@link writeFd}: on Linux, Node's own stdout and stderr
 * write these synchronously too, but constructing `process.stdout` for a pipe or a socket builds
 * a `net.Socket` (about 1.2 ms of a one-shot command's start-up for each of the two).
 */
class FdOutput implements Output {
  readonly isTTY = false;
  readonly #fd: number;

  constructor(fd: number) {
    this.#fd = fd;
  }

  write(text: string): boolean {
    writeFd(this.#fd, text);
    return true;
  }
}

/**
 * The process's own stream, made on first use (a terminal's costs start-up only when written
 * to), ending the process quietly when its reader has gone.
 */
class StreamOutput implements Output {
  readonly #fd: 1 | 2;
  #stream: NodeJS.WriteStream | null = null;

  constructor(fd: 1 | 2) {
    this.#fd = fd;
  }

  get #s(): NodeJS.WriteStream {
    if (this.#stream === null) {
      this.#stream = this.#fd === 1 ? process.stdout : process.stderr;
      quietWhenReaderGone(this.#stream);
    }
    return this.#stream;
  }

  get isTTY(): boolean {
    return this.#s.isTTY;
  }

  get columns(): number {
    return this.#s.columns;
  }

  write(text: string): boolean {
    return this.#s.write(text);
  }
}

const handled = new WeakSet<NodeJS.WriteStream>();

/**
 * Output piped into a reader that stops early (`kneecheck runs --json | head`): the process ends
 * quietly with its exit code, as other command-line tools do, instead of an EPIPE stack trace.
 */
export function quietWhenReaderGone(stream: NodeJS.WriteStream): void {
  if (handled.has(stream)) return;
  handled.add(stream);
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    readerGone();
  });
}

/** {@link quietWhenReaderGone} for the process's stdout and stderr. */
export function quietOnClosedPipe(): void {
  quietWhenReaderGone(process.stdout);
  quietWhenReaderGone(process.stderr);
}

/**
 * stdout (1) or stderr (2) for a one-shot command: a pipe (a shell's `|`), a socket (what Node
 * and many supervisors give a child) or a regular file is written directly ({@link FdOutput});
 * anything else (a terminal, /dev/null) through the process's own stream, made when first used.
 */
export function stdio(fd: 1 | 2): Output {
  let direct = false;
  try {
    const st = fs.fstatSync(fd);
    direct = st.isFIFO() || st.isSocket() || st.isFile();
  } catch {
    // A closed descriptor: Node's stream handles it as it always has.
  }
  return direct ? new FdOutput(fd) : new StreamOutput(fd);
}
