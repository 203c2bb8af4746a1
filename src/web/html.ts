/** Markup that is already safe to send: built by {@link h} or {@link raw}. */
export class Safe {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
  toString(): string {
    return this.html;
  }
}

/** A value {@link h} accepts: text is escaped, Safe is kept, arrays are joined, empty is dropped. */
export type Part = Safe | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Safe) return part.html;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Tagged template for HTML: every interpolated value is escaped unless it is {@link Safe}. */
export function h(strings: TemplateStringsArray, ...values: Part[]): Safe {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Safe(out);
}

/** Trusted markup (only for strings built in this code, never for user or stored data). */
export const raw = (markup: string): Safe => new Safe(markup);

/** JSON for a `<script type="application/json">` block: `<` escaped so it cannot end the block. */
export const jsonBlock = (value: unknown): Safe =>
  new Safe(JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e'));
