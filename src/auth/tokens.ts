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

/** How many verified tokens one process remembers (at ~1 KB each, a few MB at most). */
export const VERIFIED_TOKENS_MAX = 10_000;

/** A token whose signature and claims were verified, until its `exp` (seconds). */
interface VerifiedToken {
  caller: Caller;
  exp: number;
  nbf: number | undefined;
}

/**
 * Signs and checks the platform's RS256 access tokens. A token is immutable, so the
 * outcome of checking its signature and claims is remembered until it expires (bounded;
 * oldest forgotten first) and only its times are checked again. Nothing that can change
 * is cached here: revocation, users and links are read from the database by the guard on
 * every request, so they take effect at once in every instance.
 */
export class TokenService {
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly issuer: string,
    private readonly now: () => number = Date.now,
    private readonly maxVerified = VERIFIED_TOKENS_MAX,
  ) {}

  /** How many verified tokens are remembered now (for tests). */
  get verifiedCount(): number {
    return this.verified.size;
  }

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
    const nowSeconds = Math.floor(this.now() / 1000);
    const known = this.verified.get(token);
    if (known) {
      // The same time checks as below, in the same order, against the current clock.
      if (known.nbf !== undefined && nowSeconds < known.nbf) throw tokenErrors.invalid();
      if (nowSeconds >= known.exp) {
        this.verified.delete(token);
        throw tokenErrors.expired();
      }
      return known.caller;
    }
    const verified = await this.verifyFully(token, nowSeconds);
    this.remember(token, verified);
    return verified.caller;
  }

  private remember(token: string, entry: VerifiedToken): void {
    if (this.maxVerified <= 0) return;
    while (this.verified.size >= this.maxVerified) {
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, entry);
  }

  /** Signature, then times, issuer, subject and type (the uncached path). */
  private async verifyFully(token: string, nowSeconds: number): Promise<VerifiedToken> {
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
    const caller: Caller = Object.freeze({ sub: claims.sub, type, scopes: new Set(scopes) });
    return { caller, exp: claims.exp, nbf: claims.nbf as number | undefined };
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
