/**
 * Views written by SQLite: SQL expressions that render a row as the exact JSON text the
 * JavaScript view and `JSON.stringify` would give, so a page of records leaves the
 * database as one string (no row objects, no JSON.parse of JSON columns, no date
 * formatting, no stringify). Where SQLite cannot be sure to write a value the way
 * JavaScript does (a number needing more than 15 significant digits or an exponent, a
 * time outside 1970–9999, a value of an unexpected type) the expression is NULL, and
 * the caller answers from the JavaScript view instead: the text is the same either way.
 *
 * The expressions take plain column names (the statement reads one table).
 */

/** 2^53 − 1: integers beyond are refused by the driver (a RangeError), so not written here. */
const MAX_SAFE = "9007199254740991";

/**
 * A REAL as JavaScript writes it, or NULL. A whole number below 2^53 is its integer's
 * digits (as JavaScript writes it). Otherwise SQLite's own REAL→TEXT (`%!.15g`) is used
 * when it parses back to the same double and has no exponent: a double that 15
 * significant digits give back exactly has exactly those as its shortest digits, which
 * is what JavaScript writes, in plain notation in this range (a fractional value never
 * ends in `.0` here: that text would not parse back to it).
 */
function realJson(column: string): string {
  const text = `CAST(${column} AS TEXT)`;
  return `CASE WHEN ${column} = CAST(${column} AS INTEGER) ` +
    `AND ${column} BETWEEN -${MAX_SAFE} AND ${MAX_SAFE} ` +
    `THEN CAST(CAST(${column} AS INTEGER) AS TEXT) ` +
    `WHEN instr(${text}, 'e') = 0 AND CAST(${text} AS REAL) = ${column} THEN ${text} END`;
}

/** A number column as `JSON.stringify` writes it, or NULL. */
export function numberJson(column: string): string {
  return `(CASE typeof(${column}) ` +
    `WHEN 'integer' THEN (CASE WHEN ${column} BETWEEN -${MAX_SAFE} AND ${MAX_SAFE} ` +
    `THEN CAST(${column} AS TEXT) END) ` +
    `WHEN 'real' THEN (${realJson(column)}) END)`;
}

/** A text column as a JSON string (SQLite escapes as `JSON.stringify` does), or NULL. */
export function textJson(column: string): string {
  return `(CASE WHEN typeof(${column}) = 'text' THEN json_quote(${column}) END)`;
}

/** A boolean column as drizzle reads it (1 true, 0 false), or NULL for anything else. */
export function booleanJson(column: string): string {
  return `(CASE WHEN typeof(${column}) = 'integer' THEN ` +
    `(CASE ${column} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END) END)`;
}

/** Epoch ms within 1970–9999, where SQLite's calendar and JavaScript's agree. */
const inCalendar = (column: string) =>
  `typeof(${column}) = 'integer' AND ${column} BETWEEN 0 AND 253402300799999`;

/** `YYYY-MM-DDTHH:MM:SS` of epoch ms (whole seconds: integer division truncates). */
const secondsText = (column: string) =>
  `replace(datetime(${column} / 1000, 'unixepoch'), ' ', 'T')`;

/** Epoch ms as `"2019-12-14T12:52:59"` (utcSeconds: UTC, truncated to seconds), or NULL. */
export function utcSecondsJson(column: string): string {
  return `(CASE WHEN ${inCalendar(column)} THEN '"' || ${secondsText(column)} || '"' END)`;
}

/** Epoch ms as `"2019-06-18T03:00:45.123Z"` (isoMillis), or NULL. */
export function isoMillisJson(column: string): string {
  return `(CASE WHEN ${inCalendar(column)} THEN '"' || ${secondsText(column)} || '.' || ` +
    `substr('00' || (${column} % 1000), -3) || 'Z"' END)`;
}

/**
 * A JSON column as stored, when it is valid JSON (else NULL: the JavaScript view's
 * JSON.parse fails on it). Its text is what `JSON.stringify(JSON.parse(…))` gives back
 * because every writer stores `JSON.stringify` output (drizzle's JSON columns), and that
 * text is a fixed point of parsing and writing again.
 */
export function storedJson(column: string): string {
  return `(CASE WHEN json_valid(${column}) THEN ${column} END)`;
}

/** One key of an object: its JSON name, the value's expression, whether null leaves it out. */
export interface JsonKey {
  key: string;
  value: string;
  /** The column tested for SQL NULL (and the JSON `null`, for JSON columns): key left out. */
  omitWhenNull?: { column: string; json?: boolean };
}

/**
 * An object as one text expression, keys in the given order; NULL as soon as one value
 * is (`||` with NULL is NULL), so a whole item is either exact or NULL.
 */
export function objectJson(keys: readonly JsonKey[]): string {
  if (keys[0]?.omitWhenNull) throw new Error("the first key of an object must be present");
  const parts = keys.map(({ key, value, omitWhenNull }, i) => {
    const pair = `'${i === 0 ? "{" : ","}${JSON.stringify(key)}:' || ${value}`;
    if (!omitWhenNull) return pair;
    const { column, json } = omitWhenNull;
    const absent = json ? `${column} IS NULL OR ${column} = 'null'` : `${column} IS NULL`;
    return `(CASE WHEN ${absent} THEN '' ELSE ${pair} END)`;
  });
  return `${parts.join(" || ")} || '}'`;
}
