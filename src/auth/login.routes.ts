import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { defineEndpoint, ErrorBody, json, named } from "../api/endpoint.ts";
import { ApiError } from "../core/errors.ts";
import { Status } from "../core/status.ts";
import { required, str } from "../core/validation/rules.ts";
import { users } from "../db/schema/index.ts";
import { loginThrottle } from "./login-throttle.ts";
import { checkLoginPassword } from "./passwords.ts";

/** Body of `POST /v1/auth`; the username is compared exactly, without trimming. */
export const loginBody = z.object({
  username: required("username", str("username"), { type: "string", minLength: 1 }),
  password: required("password", str("password"), { type: "string", minLength: 1 }),
});

const Token = named(
  "Token",
  z.strictObject({
    access_token: z.string().meta({
      description: "A JWT (RS256, issuer `ocariot`) valid for one day: send it as " +
        "`Authorization: Bearer <token>`. Its `scope` claim lists what the user type may do.",
    }),
  }),
);

const invalidCredentials = () => new ApiError(Status.UNAUTHORIZED, "Invalid username or password!");

/** `POST /v1/auth` (account.md §3, AU1): a token for a valid username and password. */
export const loginEndpoints = [
  defineEndpoint({
    method: "POST",
    path: "/v1/auth",
    id: "AU1",
    operationId: "login",
    summary: "Log in: exchange a username and password for a token",
    description: "JSON or form-encoded. A body that is not valid JSON counts as empty.",
    tag: "Auth",
    access: { scopes: "public" },
    body: { name: "Login", schema: loginBody, lenient: true },
    // Counted once the username is known (the body is valid), before any password check.
    beforeHandler: (deps) => [loginThrottle(deps)],
    responses: {
      200: json("A token for the user.", Token),
      401: "The username or the password is wrong.",
      429: {
        description: "Too many failed logins for this username or address (or the password " +
          "checks are saturated): try again after `Retry-After` seconds.",
        body: ErrorBody,
        headers: {
          "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" } },
        },
      },
    },
    handler: async ({ c, deps: { db, tokens, now }, body: { username, password } }) => {
      // Usernames are unique per type only; login takes the oldest match, whatever its type.
      const [user] = await db.select({ id: users.id, type: users.type, hash: users.passwordHash })
        .from(users).where(eq(users.username, username))
        .orderBy(asc(users.createdAt), asc(sql`rowid`)).limit(1);
      // Checked for unknown usernames too: same work, same time, same answer.
      const matches = await checkLoginPassword(password, user?.hash);
      if (!user || !matches) throw invalidCredentials();
      await db.update(users).set({ lastLogin: now() }).where(eq(users.id, user.id));
      return c.json({ access_token: await tokens.issue(user) }, Status.OK);
    },
  }),
];
