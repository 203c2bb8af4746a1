import readline from 'node:readline';

/**
 * Asks one question on the terminal and resolves with the answer. With `secret`, what is typed
 * is not echoed (the API key never shows on screen or in the scrollback).
 */
export function ask(question: string, opts: { secret?: boolean } = {}): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  return new Promise((resolve, reject) => {
    let muted = false;
    const rl = readline.createInterface({
      input,
      output: {
        write: (chunk: string | Uint8Array) => {
          // readline echoes each key through here: shown until the question is out, then not.
          if (!muted) output.write(chunk);
          return true;
        },
      } as unknown as NodeJS.WritableStream,
      terminal: true,
    });
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
