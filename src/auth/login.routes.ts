import { asc, eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Deps } from "../core/context.ts";
import { ApiError } from "../core/errors.ts";
import { Status } from "../core/status.ts";
import { required, str } from "../core/validation/rules.ts";
import { validateLenientBody } from "../core/validation/validator.ts";
import { users } from "../db/schema/index.ts";
import { loginThrottle } from "./login-throttle.ts";
import { checkLoginPassword } from "./passwords.ts";

/** Body of `POST /v1/auth`; the username is compared exactly, without trimming. */
export const loginBody = z.object({
  username: required("username", str("username"), { type: "string", minLength: 1 }),
  password: required("password", str("password"), { type: "string", minLength: 1 }),
});

const invalidCredentials = () => new ApiError(Status.UNAUTHORIZED, "Invalid username or password!");

/** `POST /v1/auth` (account.md §3): a token for a valid username and password. */
export function loginRoutes(deps: Deps) {
  const { db, tokens, now } = deps;
  return new Hono<AppEnv>().post(
    "/",
    validateLenientBody(loginBody),
    loginThrottle(deps),
    async (c) => {
      const { username, password } = c.req.valid("json");
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
  );
}
