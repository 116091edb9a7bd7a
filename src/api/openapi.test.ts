import { assertEquals } from "../../test/assert.ts";
import { startTestApp } from "../../test/harness.ts";
import { ENDPOINTS } from "../domains.ts";
import { defineEndpoint, empty } from "./endpoint.ts";
import { buildOpenApi } from "./openapi.ts";
import { openApiDocument } from "../platform/platform.routes.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
const doc: Json = openApiDocument(ENDPOINTS);
const METHODS = ["get", "post", "put", "patch", "delete"];

/** Every operation with its path item, keyed by its contract id. */
const operations = new Map<string, { path: string; item: Json; op: Json }>();
for (const [path, item] of Object.entries<Json>(doc.paths)) {
  for (const method of METHODS) {
    if (item[method]) {
      operations.set(item[method]["x-contract-id"], { path, item, op: item[method] });
    }
  }
}
const opOf = (id: string) => operations.get(id)!.op;

Deno.test("openapi: /v1/openapi.json serves exactly the document built from the definitions", async () => {
  const t = await startTestApp();
  try {
    const res = await t.request("GET", "/v1/openapi.json");
    assertEquals(await res.json(), JSON.parse(JSON.stringify(doc)));
  } finally {
    await t.close();
  }
});

Deno.test("openapi: one operation per definition, with a readable id and the contract id", () => {
  assertEquals(operations.size, ENDPOINTS.length);
  for (const endpoint of ENDPOINTS) {
    const op = opOf(endpoint.id);
    assertEquals(op.operationId, endpoint.operationId);
    assertEquals(/^[a-z][a-zA-Z]+$/.test(op.operationId), true, op.operationId);
  }
  assertEquals(opOf("AC5").operationId, "listChildren");
  assertEquals(opOf("TR1").operationId, "createPhysicalActivity");
});

Deno.test("openapi: every ownership rule is published by its name, and who may call is said", () => {
  const ruled = ENDPOINTS.filter((e) => e.access.rule);
  assertEquals(ruled.length >= 50, true);
  for (const endpoint of ENDPOINTS) {
    const op = opOf(endpoint.id);
    assertEquals(op["x-ownership-rule"], endpoint.access.rule?.ruleName, endpoint.id);
    assertEquals(op.description.includes("**Who may call:**"), true, endpoint.id);
  }
  assertEquals(opOf("TR11")["x-ownership-rule"], "childDataRead");
  assertEquals(opOf("FB3")["x-ownership-rule"], "fitbitChild");
  assertEquals(opOf("AC26")["x-ownership-rule"], "groupOwner");
});

Deno.test("openapi: list routes document page, limit, sort and each filter one by one", () => {
  const names = (id: string) => opOf(id).parameters.map((p: Json) => `${p.in}:${p.name}`);
  assertEquals(names("AC39"), [
    "query:page",
    "query:limit",
    "query:sort",
    "query:type",
    "query:name",
    "query:address",
    "query:latitude",
    "query:longitude",
  ]);
  const activities = names("TR2");
  for (const name of ["page", "limit", "sort", "name", "levels.name", "start_at", "period"]) {
    assertEquals(activities.includes(`query:${name}`), true, name);
  }
  const listed = opOf("TR10");
  assertEquals(
    listed.responses["200"].headers["X-Total-Count"].description.includes("Filters"),
    true,
  );
  assertEquals(listed.description.includes("`X-Total-Count` ignores filters"), true);
});

Deno.test("openapi: bodies and answers are component schemas, and every reference resolves", () => {
  const refs: string[] = [];
  const collect = (value: Json) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === "object") {
      if (typeof value.$ref === "string") refs.push(value.$ref);
      Object.values(value).forEach(collect);
    }
  };
  collect(doc.paths);
  for (const ref of refs) {
    const name = ref.replace("#/components/schemas/", "");
    assertEquals(name in doc.components.schemas, true, ref);
  }
  assertEquals(
    opOf("AC38").requestBody.content["application/json"].schema.$ref,
    "#/components/schemas/InstitutionCreate",
  );
  assertEquals(
    opOf("AC40").responses["404"].content["application/json"].schema.$ref,
    "#/components/schemas/Error",
  );
  assertEquals(
    opOf("AC40").responses["200"].content["application/json"].schema.$ref,
    "#/components/schemas/Institution",
  );
});

Deno.test("openapi: no two path templates can match the same URL; the NFC lookup keeps its URL", () => {
  const paths = Object.keys(doc.paths).map((p) => p.split("/").filter(Boolean));
  const isParam = (s: string) => s.startsWith("{");
  const clashes: string[] = [];
  paths.forEach((a, i) =>
    paths.slice(i + 1).forEach((b) => {
      if (a.length !== b.length) return;
      if (a.every((s, k) => s === b[k] || isParam(s) || isParam(b[k]))) {
        clashes.push(`/${a.join("/")} ~ /${b.join("/")}`);
      }
    })
  );
  assertEquals(clashes, []);
  const nfc = operations.get("AC7")!;
  assertEquals(`${nfc.item.servers[0].url}${nfc.path}`, "/v1/children/nfc/{nfc_tag}");
});

Deno.test("openapi: every status a definition answers is documented, errors with the envelope", () => {
  const weight = opOf("TR14").responses;
  assertEquals(Object.keys(weight).sort(), ["201", "207", "400", "401", "403", "409", "413"]);
  assertEquals(opOf("AC42").responses["204"].content, undefined);
  assertEquals(
    opOf("TR4").responses["405"].content["application/json"].schema.$ref,
    "#/components/schemas/Error",
  );
});

Deno.test("openapi: a rest-of-path parameter (`:file{.+}`) is documented as a plain parameter", () => {
  const asset = defineEndpoint({
    method: "GET",
    path: "/v1/reference/assets/:file{.+}",
    id: "X1",
    operationId: "getReferenceAsset",
    summary: "A file of the reference page",
    tag: "Platform",
    access: { scopes: "public" },
    responses: { 200: empty("The file."), 404: "No such file." },
    handler: ({ c }) => c.body(null),
  });
  const built: Json = buildOpenApi([asset], { version: "0", description: "" });
  const op = built.paths["/v1/reference/assets/{file}"].get;
  assertEquals(op.parameters.map((p: Json) => [p.in, p.name]), [["path", "file"]]);
});
