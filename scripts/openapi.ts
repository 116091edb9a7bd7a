/**
 * Prints the OpenAPI document `/v1/openapi.json` serves (built from the same endpoint
 * definitions, without a database), for `deno task openapi > file` and the lint in CI.
 */
import { ENDPOINTS } from "../src/domains.ts";
import { openApiDocument } from "../src/platform/platform.routes.ts";

console.log(JSON.stringify(openApiDocument(ENDPOINTS), null, 2));
