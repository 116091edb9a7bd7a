/** The escaping template tag: data never becomes markup. */
import { assertEquals } from "../../test/assert.ts";
import { html, safeUrl } from "./html.ts";

for (
  const [name, value, expected] of [
    ["text", `<b>"Tom" & 'Jerry'</b>`, "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"],
    ["a number", 12.5, "12.5"],
    ["null", null, ""],
    ["undefined", undefined, ""],
    ["false", false, ""],
    ["true", true, ""],
    ["a list of text", ["<a>", "b"], "&lt;a&gt;b"],
  ] as const
) {
  Deno.test(`html: ${name} is rendered as ${JSON.stringify(expected)}`, () => {
    assertEquals(html`<p>${value}</p>`.text, `<p>${expected}</p>`);
  });
}

Deno.test("html: nested markup is kept, its data still escaped once", () => {
  const inner = html`<em>${"<x>"}</em>`;
  assertEquals(html`<p>${inner}${[inner]}</p>`.text, "<p><em>&lt;x&gt;</em><em>&lt;x&gt;</em></p>");
});

Deno.test("html: an attribute value cannot be closed by data", () => {
  assertEquals(
    html`<a title="${'" onclick="x'}">`.text,
    '<a title="&quot; onclick=&quot;x">',
  );
});

Deno.test("html: a plain object is text, not markup", () => {
  const fake = { text: "<script>" } as unknown as string;
  assertEquals(html`${fake}`.text, "[object Object]");
});

for (
  const [value, expected] of [
    ["https://accounts.example/o/auth?x=1&y=2", "https://accounts.example/o/auth?x=1&y=2"],
    ["http://127.0.0.1:9/consent", "http://127.0.0.1:9/consent"],
    ["javascript:alert(1)", undefined],
    ["data:text/html,<b>", undefined],
    ["/relative", undefined],
    [42, undefined],
  ] as const
) {
  Deno.test(`safeUrl(${JSON.stringify(value)})`, () => {
    assertEquals(safeUrl(value), expected);
  });
}

Deno.test("html: line breaks between tags vanish, inside text they are one space", () => {
  const name = "Ana";
  const out = html`
    <ul>
      <li>${name}
        and
        ${"Bruno"}</li>
      <li>two
        words</li>
    </ul>
  `;
  assertEquals(out.text, "<ul><li>Ana and Bruno</li><li>two words</li></ul>");
});
