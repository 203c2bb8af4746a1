import readline from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Asks one question on the terminal and resolves with the answer. With `secret`, what is typed
 * is not echoed (the API key never shows on screen or in the scrollback).
 */
export function ask(
  question: string,
  opts: {
    secret?: boolean;
    input?: NodeJS.ReadableStream;
    output?: { write(s: string | Uint8Array): unknown };
  } = {},
): Promise<string> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stderr;
  return new Promise((resolve, reject) => {
    let muted = false;
    // readline echoes each key through this stream: shown until the question is out, then not.
    const echo = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (!muted) output.write(chunk);
        done();
      },
    });
    const rl = readline.createInterface({ input, output: echo, terminal: true });
    rl.on('SIGINT', () => {
      rl.close();
      output.write('\n');
      reject(new Error('cancelled'));
    });
    rl.question(question, (answer) => {
      rl.close();
      if (opts.secret) output.write('\n');
      resolve(answer.trim());
    });
    muted = opts.secret === true;
  });
}
