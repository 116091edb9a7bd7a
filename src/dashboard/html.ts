/**
 * HTML built only through a tagged template that escapes every interpolated value: a
 * string can reach a page unescaped only by being `SafeHtml`, and `SafeHtml` is made
 * only by `html` itself (from the literal parts of a template written in this folder).
 * Values from the API, a form or the URL therefore cannot become markup by accident.
 */

/** Markup that is safe to emit as is. */
export class SafeHtml {
  /** Use `html` to make one; nothing else in the dashboard calls this. */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may be interpolated: markup, text (escaped), numbers, nothing, or lists of these. */
export type HtmlPart =
  | SafeHtml
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly HtmlPart[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

function render(part: HtmlPart): string {
  if (part instanceof SafeHtml) return part.text;
  if (part === null || part === undefined || part === false || part === true) return "";
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

/**
 * The literal parts of a template without the line breaks and indentation that source
 * formatting puts between tags (`>` then a new line, or a new line then `<`, or at the
 * template's ends): the page stays compact whatever the source's layout. A line break
 * inside text becomes one space. Cached per call site.
 */
const compacted = new WeakMap<TemplateStringsArray, readonly string[]>();

function compact(strings: TemplateStringsArray): readonly string[] {
  const known = compacted.get(strings);
  if (known) return known;
  const last = strings.length - 1;
  const parts = strings.map((part, i) =>
    part.replace(/\s*\n\s*/g, (run, at: number) => {
      const before = at === 0 ? (i === 0 ? ">" : "") : part[at - 1];
      const after = at + run.length === part.length
        ? (i === last ? "<" : "")
        : part[at + run.length];
      return before === ">" || after === "<" ? "" : " ";
    })
  );
  compacted.set(strings, parts);
  return parts;
}

/**
 * The template tag: `html\`<p>${text}</p>\``. Strings and numbers are escaped, `SafeHtml`
 * is kept, arrays are joined, `null`, `undefined` and booleans render nothing (so
 * `${cond && html\`…\`}` works).
 */
export function html(strings: TemplateStringsArray, ...values: HtmlPart[]): SafeHtml {
  const parts = compact(strings);
  let out = parts[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + parts[i + 1];
  return new SafeHtml(out);
}

/**
 * An `href` for a link to data from elsewhere (e.g. a provider's consent page): only
 * `http:` and `https:` URLs pass; anything else (`javascript:`, `data:`) is undefined.
 */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
