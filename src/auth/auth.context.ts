import type { Caller, TokenService } from "./tokens.ts";

// What auth contributes to the context: the token service, and the caller the access
// guard puts on every request that needs a token.
declare module "../core/context.ts" {
  interface Services {
    /** Issues and verifies the platform's tokens. */
    tokens: TokenService;
  }
  interface RequestVariables {
    /** Set by the access guard on every route that needs a token. */
    caller: Caller;
  }
}
