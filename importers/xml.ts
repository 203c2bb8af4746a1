import { SaxesParser, type SaxesTagNS } from 'saxes';

/*
 * The streaming XML layer the GPX and TCX importers read with (saxes: a SAX parser, no DOM, no
 * regex). The text is decoded and fed in chunks, and each element's own text is handed to the
 * importer as the element closes, so a 64 MB file is never one string nor one tree. saxes knows
 * no DTD: it never fetches an external entity and never expands an internal one; a file that
 * declares entities (a "billion laughs" bomb, an XXE probe) is refused before anything is read.
 */

/** An element as it opens (valid during `open` only): local name, namespace URI, attributes by local name. */
export interface XmlElement {
  local: string;
  /** Namespace URI ('' for none; `urn:undeclared:<prefix>` for a prefix the file never declared). */
  uri: string;
  attr(local: string): string | undefined;
}

/** What an importer does with the elements of a file (the parent's local name given at close). */
export interface XmlHandler {
  open?(el: XmlElement, parent: string | undefined): void;
  /** `text`: the element's own text, trimmed (the text of its children not included). */
  close?(local: string, text: string, parent: string | undefined, grandparent?: string): void;
}

/** The file read whole, or the first problem that stopped it (what was read before stays read). */
export type XmlResult = { ok: true } | { ok: false; error: string };

/** Thrown by a handler to stop reading with a message (e.g. too many points). */
export class XmlStop extends Error {
  override readonly name = 'XmlStop';
}

/** Characters of text fed to the parser at a time. */
const CHUNK_BYTES = 1 << 20;
/** Bytes looked at for the XML declaration's `encoding`. */
const DECL_BYTES = 256;

/** The encoding to decode with: a byte-order mark, else the declaration's `encoding`, else UTF-8. */
function encodingOf(bytes: Uint8Array): { label: string; skip: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { label: 'utf-8', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', skip: 2 };
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, DECL_BYTES));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  if (declared) {
    try {
      new TextDecoder(declared);
      return { label: declared, skip: 0 };
    } catch {
      // An encoding TextDecoder does not know: read as UTF-8, the XML default.
    }
  }
  return { label: 'utf-8', skip: 0 };
}

/** What saxes stopped at, as a reader of the file finds it: "not well-formed XML at line 12, column 4: …". */
function problemText(message: string): string {
  const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(message);
  const what = (m?.[3] ?? message).replace(/\.$/, '');
  return `not well-formed XML${m ? ` at line ${m[1]}, column ${m[2]}` : ''}: ${what}`;
}

/** A prefix the file uses without declaring it (common in GPX extensions): read, not refused. */
const undeclared = (prefix: string): string | undefined =>
  prefix === '' ? undefined : `urn:undeclared:${prefix}`;

/**
 * Reads `bytes` as XML, calling `handler` for each element. Leading whitespace before the XML
 * declaration (Polar files) and a byte-order mark are skipped; undeclared namespace prefixes are
 * tolerated; an entity reference the parser does not know is left as written. Never throws for
 * bad input: not well-formed XML, a DTD declaring entities, or a handler's {@link XmlStop} end the
 * read with `{ ok: false, error }`.
 */
export function readXml(bytes: Uint8Array, handler: XmlHandler): XmlResult {
  const { label, skip } = encodingOf(bytes);
  const decoder = new TextDecoder(label);
  const parser = new SaxesParser({ xmlns: true, position: true, resolvePrefix: undeclared });
  const names: string[] = [];
  let text = '';
  let fatal: string | null = null;

  parser.on('error', (e) => {
    // An unknown entity (&nbsp; in a name) is not worth losing a run over: saxes keeps it as written.
    if (/undefined entity/.test(e.message)) return;
    fatal ??= problemText(e.message);
    throw new XmlStop(fatal);
  });
  parser.on('doctype', (d) => {
    if (/<!ENTITY/i.test(d)) {
      fatal = 'refused: the file declares XML entities in a DTD (kneecheck never expands them)';
      throw new XmlStop(fatal);
    }
  });
  // One element object, refilled per tag: a file has a million of them.
  let attrs: SaxesTagNS['attributes'] = {};
  const el: XmlElement = {
    local: '',
    uri: '',
    attr: (local) => {
      for (const k in attrs) {
        const a = attrs[k];
        if (a && a.local === local) return a.value;
      }
      return undefined;
    },
  };
  parser.on('opentag', (tag: SaxesTagNS) => {
    attrs = tag.attributes;
    el.local = tag.local;
    el.uri = tag.uri;
    handler.open?.(el, names.at(-1));
    names.push(tag.local);
    text = '';
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', (tag) => {
    names.pop();
    handler.close?.(tag.local ?? '', text.trim(), names.at(-1), names.at(-2));
    text = '';
  });

  try {
    let first = true;
    for (let at = skip; at < bytes.length; at += CHUNK_BYTES) {
      const end = Math.min(bytes.length, at + CHUNK_BYTES);
      let chunk = decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length });
      if (first) {
        // Whitespace before `<?xml` (Polar) or a BOM the decoder kept would be an error to saxes.
        chunk = chunk.replace(/^[\s\uFEFF]+/, '');
        if (chunk.length === 0 && end < bytes.length) continue;
        first = false;
      }
      parser.write(chunk);
    }
    parser.close();
  } catch (e) {
    if (e instanceof XmlStop) return { ok: false, error: fatal ?? e.message };
    return { ok: false, error: problemText(e instanceof Error ? e.message : String(e)) };
  }
  return fatal === null ? { ok: true } : { ok: false, error: fatal };
}
