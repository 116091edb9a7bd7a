import { SCOPES_BY_TYPE, USER_TYPES } from "../auth/scopes.ts";
import type { Endpoint } from "./endpoint.ts";

const code = (text: string) => `\`${text}\``;

/** The user types whose tokens hold at least one of the scopes. */
function typesWith(scopes: readonly string[]): string {
  return USER_TYPES.filter((type) => scopes.some((s) => SCOPES_BY_TYPE[type].includes(s)))
    .join(", ");
}

/**
 * docs/permissions.md: who may call what, one row per endpoint, generated from the
 * endpoint definitions (`deno task docs:permissions`; a test fails when it is stale).
 */
export function permissionsMarkdown(endpoints: readonly Endpoint[]): string {
  const rows = endpoints.map((endpoint) => {
    const { scopes, rule } = endpoint.access;
    const isPublic = scopes === "public";
    return [
      endpoint.id,
      `${endpoint.method} ${code(endpoint.path)}`,
      isPublic ? "public (no token)" : scopes.map(code).join(" or "),
      isPublic ? "anyone" : typesWith(scopes),
      rule ? `${code(rule.ruleName)}: ${rule.who}` : "—",
    ];
  });
  const rules = new Map(
    endpoints.flatMap((e) => e.access.rule ? [[e.access.rule.ruleName, e.access.rule.who]] : []),
  );
  return [
    "# Who may call what",
    "",
    "Generated from the endpoint definitions by `deno task docs:permissions`; do not edit by",
    "hand (a test fails when this file is stale). For each endpoint the access guard checks,",
    "in this order: the token (401), that it holds one of the scopes (403), the path",
    "parameters (400), then the ownership rule (403, or 400 for a record that does not",
    "exist). The types listed are those whose tokens carry one of the scopes; the rule may",
    "narrow them further.",
    "",
    "| Id | Route | Scopes (any one) | User types with such a scope | Ownership rule |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
    "",
    "## Ownership rules",
    "",
    ...[...rules].sort(([a], [b]) => a.localeCompare(b)).map(([name, who]) =>
      `- ${code(name)}: ${who}.`
    ),
    "",
  ].join("\n");
}
