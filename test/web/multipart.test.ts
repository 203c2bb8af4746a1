import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MultipartError, boundaryOf, readMultipart } from '../../src/web/multipart.ts';

/** A body as a browser's FormData makes it, and its Content-Type. */
async function encoded(form: FormData): Promise<{ bytes: Buffer; type: string }> {
  const req = new Request('http://127.0.0.1/', { method: 'POST', body: form });
  return {
    bytes: Buffer.from(await req.arrayBuffer()),
    type: req.headers.get('Content-Type') ?? '',
  };
}

/** `bytes` as a stream of chunks of `size` bytes. */
function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(ctrl) {
      if (at >= bytes.length) return ctrl.close();
      ctrl.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

interface Parsed {
  fields: [string, string][];
  files: { name: string; filename: string; bytes: Buffer }[];
}

async function parse(
  body: ReadableStream<Uint8Array>,
  type: string,
  limits = { bodyBytes: 1 << 24, fieldBytes: 4096, parts: 100 },
): Promise<Parsed> {
  const out: Parsed = { fields: [], files: [] };
  const boundary = boundaryOf(type);
  if (!boundary) throw new Error(`no boundary in ${type}`);
  await readMultipart(
    body,
    boundary,
    {
      field: (name, value) => out.fields.push([name, value]),
      file: (name, filename) => {
        const parts: Buffer[] = [];
        return Promise.resolve({
          write: (chunk: Uint8Array) => (parts.push(Buffer.from(chunk)), Promise.resolve()),
          end: () => {
            out.files.push({ name, filename, bytes: Buffer.concat(parts) });
            return Promise.resolve();
          },
        });
      },
    },
    limits,
  );
  return out;
}

describe('the streaming multipart reader', () => {
  it('reads fields and binary files exactly, whatever the chunk size', async () => {
    // Binary content holding what looks like a delimiter's start, CRLFs and dashes.
    const a = Buffer.concat([randomBytes(5000), Buffer.from('\r\n--\r\n-'), randomBytes(3000)]);
    const b = randomBytes(70_001);
    const form = new FormData();
    form.append('csrf', '123.abc');
    form.append('files', new Blob([a]), 'Morning Run.fit');
    form.append('files', new Blob([b]), 'export (2).zip');
    form.append('files', new Blob([]), 'empty.gpx');
    const { bytes, type } = await encoded(form);
    for (const size of [1, 7, 69, 4096, bytes.length]) {
      const got = await parse(chunked(bytes, size), type);
      expect(got.fields, `chunks of ${size}`).toEqual([['csrf', '123.abc']]);
      expect(got.files.map((f) => f.filename)).toEqual([
        'Morning Run.fit',
        'export (2).zip',
        'empty.gpx',
      ]);
      expect(got.files[0]?.bytes.equals(a), `chunks of ${size}`).toBe(true);
      expect(got.files[1]?.bytes.equals(b), `chunks of ${size}`).toBe(true);
      expect(got.files[2]?.bytes.length).toBe(0);
    }
  });

  it('refuses a body over its cap with 413, and one cut short or malformed with 400', async () => {
    const form = new FormData();
    form.append('files', new Blob([randomBytes(10_000)]), 'big.fit');
    const { bytes, type } = await encoded(form);
    const over = parse(chunked(bytes, 1000), type, { bodyBytes: 5000, fieldBytes: 10, parts: 5 });
    await expect(over).rejects.toMatchObject({ status: 413 });
    await expect(over).rejects.toThrow(/larger than/);

    const two = new FormData();
    two.append('files', new Blob(['a']), 'a.fit');
    two.append('files', new Blob(['b']), 'b.fit');
    const many = await encoded(two);
    const tooMany = parse(chunked(many.bytes, 100), many.type, {
      bodyBytes: 1 << 20,
      fieldBytes: 10,
      parts: 1,
    });
    await expect(tooMany).rejects.toMatchObject({ status: 413 });
    await expect(tooMany).rejects.toThrow(/more than 1 files in one upload/);

    const cut = parse(chunked(bytes.subarray(0, bytes.length - 30), 1000), type);
    await expect(cut).rejects.toBeInstanceOf(MultipartError);
    await expect(cut).rejects.toThrow(/cut short/);

    const boundary = boundaryOf(type) ?? '';
    const noName = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--${boundary}--\r\n`,
    );
    await expect(parse(chunked(noName, 10), type)).rejects.toThrow(/has no name/);
  });

  it('knows a multipart Content-Type from others', () => {
    expect(boundaryOf('multipart/form-data; boundary=----abc')).toBe('----abc');
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/x-www-form-urlencoded')).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });
});
