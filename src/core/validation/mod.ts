export * from "./rules.ts";
export * from "./reduce.ts";
export * from "./validator.ts";
