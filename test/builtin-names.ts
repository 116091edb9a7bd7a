/**
 * Names of members every JavaScript object inherits, and the prototype-pollution keys:
 * the names hostile clients put where a field, filter, sort or header name is expected.
 * Shared by the hardening sweep and the property suite.
 */
export const BUILT_IN_NAMES = [
  "constructor",
  "__proto__",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
] as const;
