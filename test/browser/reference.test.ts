/**
 * The API reference in real headless Chromium, with every non-loopback request blocked
 * (issue 9): the operations render, a response schema is visible, and try-it-out with an
 * admin's bearer token lists institutions. Saves docs/screenshots/reference.png.
 */
import type { ConsoleMessage, Locator, Page } from "playwright-core";
import { assertEquals, assertTrue } from "../assert.ts";
import { FIXTURE_PASSWORD, startTestApp } from "../harness.ts";
import { browserTest } from "./chromium.ts";
import { blockNonLoopback } from "./network.ts";
import { saveScreenshot } from "./screenshot.ts";
import { serveTestApp, signIn } from "./serve.ts";

// Fixed values, so that the screenshot comes out the same on every run.
const INSTITUTION = {
  id: "5f1e0c7a9b3d2e4f60718293",
  type: "School",
  name: "Escola Básica de Exemplo",
  createdAt: Date.UTC(2026, 0, 5),
};

/**
 * The documented responses the page must show as schemas, by status: each field name must
 * appear in the rendered model: the list's success body and the error envelope.
 */
const VISIBLE_RESPONSE_SCHEMAS = [
  { status: "200", fields: ["id", "type", "name", "latitude", "longitude"] },
  { status: "403", fields: ["code", "message", "description", "redirect_link"] },
];

/** The block of an operation, found by method and path (not by its operationId). */
function operation(page: Page, method: string, path: string): Locator {
  return page.locator(`.opblock-${method}`).filter({
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  });
}

/** Opens the schema tab of a documented response and returns the model's text. */
async function responseSchemaText(op: Locator, status: string): Promise<string> {
  const row = op.locator(`tr.response[data-code="${status}"]`);
  await row.getByRole("tab", { name: "Schema" }).click();
  const model = row.locator(".model-box");
  await model.waitFor();
  // Expand collapsed models ("Expand all" opens an array's item model too) until every
  // property is on the page.
  for (let depth = 0; depth < 5; depth++) {
    const closed = await model.locator(".model-toggle.collapsed")
      .or(model.getByRole("button", { name: "Expand all" })).all();
    if (closed.length === 0) break;
    await closed[0].click();
  }
  return await model.innerText();
}

/**
 * Hides what changes from run to run or shows the token (curl, URL with port, headers), and
 * leaves no focus or hover behind (a focused textarea's corner is drawn differently).
 */
async function hideVolatileParts(op: Locator) {
  await op.page().mouse.move(0, 0);
  for (const focused of await op.page().locator(":focus").all()) await focused.blur();
  const parts = op.locator(".curl-command, .request-url").or(
    op.locator(".live-responses-table td.response-col_description > div").filter({
      has: op.page().locator("h5", { hasText: /^(Response headers|Request duration)$/ }),
    }),
  );
  for (const part of await parts.all()) {
    await part.evaluate((element: { style: { display: string } }) => {
      element.style.display = "none";
    });
  }
}

const t = await startTestApp();
/** Keys of a path item that are operations (a path item may also hold `servers`). */
const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

await t.createUser("admin", { username: "reference-admin" });
await t.createInstitution(INSTITUTION);
const served = await serveTestApp(t);

await browserTest(
  "reference page in Chromium, offline: operations, a response schema, try-it-out lists institutions",
  async ({ context }) => {
    const blocked = await blockNonLoopback(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message: ConsoleMessage) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error: Error) => problems.push(`page error: ${error.message}`));

    const token = await signIn(served.url, "reference-admin", FIXTURE_PASSWORD);
    await page.goto(`${served.url}/v1/reference`);

    // Every operation of the document renders.
    const document = await (await fetch(`${served.url}/v1/openapi.json`)).json();
    const operationCount = Object.values(document.paths as Record<string, object>)
      .reduce(
        (sum, item) => sum + Object.keys(item).filter((key) => HTTP_METHODS.has(key)).length,
        0,
      );
    await page.locator(".opblock").first().waitFor();
    assertEquals(await page.locator(".opblock").count(), operationCount);

    const list = operation(page, "get", "/v1/institutions");
    await list.locator(".opblock-summary-control").click();

    // A documented response shows its schema.
    for (const { status, fields } of VISIBLE_RESPONSE_SCHEMAS) {
      const text = await responseSchemaText(list, status);
      for (const field of fields) assertTrue(text.includes(field), `${status} shows ${field}`);
    }

    // Authorize with the admin's token, then try the list out.
    await page.locator(".auth-wrapper .authorize").click();
    await page.locator(".modal-ux input#auth-bearer-value").fill(token);
    await page.locator(".modal-ux").getByRole("button", { name: "Apply credentials" }).click();
    await page.locator(".modal-ux").getByRole("button", { name: "Close" }).click();

    await list.getByRole("button", { name: "Try it out" }).click();
    // Today's document has one opaque `query` object whose example would become filters.
    const query = list.locator('tr[data-param-name="query"] textarea');
    if (await query.count() > 0) await query.fill("");
    const answered = page.waitForResponse((res) =>
      new URL(res.url()).pathname === "/v1/institutions" && res.request().method() === "GET"
    );
    await list.getByRole("button", { name: "Execute" }).click();
    const response = await answered;
    assertEquals(response.status(), 200);
    assertEquals(await response.request().headerValue("authorization"), `Bearer ${token}`);
    assertEquals(await response.json(), [{
      id: INSTITUTION.id,
      type: INSTITUTION.type,
      name: INSTITUTION.name,
    }]);

    const live = list.locator(".live-responses-table");
    assertEquals((await live.locator("tbody .response-col_status").innerText()).trim(), "200");
    assertTrue((await live.innerText()).includes(INSTITUTION.name), "the institution is shown");

    await hideVolatileParts(list);
    await saveScreenshot(list, "reference");

    assertEquals(blocked.urls, [], "requests to other hosts");
    assertEquals(problems, [], "console errors (a CSP violation is one)");
  },
);

Deno.test("(stop the served app)", async () => {
  await served.close();
  await t.close();
});
