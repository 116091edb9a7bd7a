import { compactVerify, SignJWT } from "jose";
import { tokenErrors } from "../core/errors.ts";
import type { SigningKeys } from "./keys.ts";
import { SCOPES_BY_TYPE, USER_TYPES, type UserType } from "./scopes.ts";

/** Access tokens live one day (gateway.md §4.1). */
export const TOKEN_LIFETIME_SECONDS = 86_400;

/** Who is calling, as the token says. The users table is never consulted for it. */
export interface Caller {
  sub: string;
  type: UserType;
  scopes: ReadonlySet<string>;
}

/** Signs and checks the platform's RS256 access tokens. */
export class TokenService {
  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for the user, with the fixed scope list of its type. */
  async issue(user: { id: string; type: UserType }): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    // Claims in the original's order: sub, sub_type, iss, iat, scope, exp.
    const payload = {
      sub: user.id,
      sub_type: user.type,
      iss: this.issuer,
      iat,
      scope: SCOPES_BY_TYPE[user.type].join(" "),
      exp: iat + TOKEN_LIFETIME_SECONDS,
    };
    return await new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .sign(this.keys.privateKey);
  }

  /**
   * Verifies signature, then nbf/exp, issuer and subject, in the contract's order
   * (gateway.md §4.3): the first failing step picks the 401. Throws an ApiError.
   * A token whose scope claim is not a string is accepted here with no scopes,
   * so the scope step answers 403.
   */
  async verify(token: string): Promise<Caller> {
    let claims: Record<string, unknown>;
    try {
      const { payload } = await compactVerify(token, this.keys.publicKey, {
        algorithms: ["RS256"],
      });
      claims = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      throw tokenErrors.invalid();
    }
    if (typeof claims !== "object" || claims === null) throw tokenErrors.invalid();
    const nowSeconds = Math.floor(this.now() / 1000);
    if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || nowSeconds < claims.nbf)) {
      throw tokenErrors.invalid();
    }
    if (typeof claims.exp !== "number") throw tokenErrors.invalid();
    if (nowSeconds >= claims.exp) throw tokenErrors.expired();
    if (claims.iss !== this.issuer) throw tokenErrors.invalid();
    if (typeof claims.sub !== "string" || claims.sub === "") throw tokenErrors.invalid();
    const type = USER_TYPES.find((t) => t === claims.sub_type);
    if (!type) throw tokenErrors.invalid();
    const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
    return { sub: claims.sub, type, scopes: new Set(scopes) };
  }
}

/**
 * The bearer token of an Authorization header, or undefined when there is none:
 * the first word must be `bearer` in any case and a second word must follow.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const words = (header ?? "").trim().split(/\s+/);
  if (words.length < 2 || words[0].toLowerCase() !== "bearer") return undefined;
  return words[1];
}
