/**
 * The AIP-160 filter subset of google-health.md §6.3.1: `MEMBER OP "LITERAL"` clauses joined by
 * AND (and OR for sleep), OP ∈ `>=`, `<`, members per record kind as in §3.2, with Google's
 * `INVALID_DATA_POINT_FILTER…` reasons for each way a filter can be wrong.
 */
import {
  civilOfLiteral,
  DATA_TYPES,
  type DataPoint,
  type DataTypeInfo,
  memberValue,
  type RecordKind,
} from "./datatypes.ts";

/** A filter the API refuses: the ErrorInfo reason and the message. */
export class FilterError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

type Member = Parameters<typeof memberValue>[2];
type Format = "physical" | "civil" | "date";

interface Clause {
  member: Member;
  format: Format;
  op: ">=" | "<";
  /** Epoch ms for physical members, a sortable civil string otherwise. */
  value: number | string;
}

/** A parsed filter: an AND of ORs of clauses. */
export type Filter = Clause[][];

/** Allowed members per record kind (google-health.md §3.2), with their literal format. */
const MEMBERS: Record<RecordKind, Record<string, [Member, Format]>> = {
  interval: {
    "interval.start_time": ["start_time", "physical"],
    "interval.civil_start_time": ["civil_start_time", "civil"],
  },
  sample: {
    "sample_time.physical_time": ["physical_time", "physical"],
    "sample_time.civil_time": ["civil_time", "civil"],
  },
  daily: { "date": ["date", "date"] },
  session: { "interval.civil_start_time": ["civil_start_time", "civil"] },
  sleep: {
    "interval.end_time": ["end_time", "physical"],
    "interval.civil_end_time": ["civil_end_time", "civil"],
  },
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const CIVIL = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Token =
  | { kind: "ident"; text: string }
  | { kind: "op"; text: string }
  | { kind: "string"; text: string }
  | { kind: "and" | "or" };

const syntax = (message: string) =>
  new FilterError("INVALID_DATA_POINT_FILTER_SYNTAX", `Invalid filter syntax: ${message}`);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        value += text[j++];
      }
      if (j >= text.length) throw syntax("unterminated string literal");
      tokens.push({ kind: "string", text: value });
      i = j + 1;
    } else if (/[<>=!]/.test(ch)) {
      const op = /^(>=|<=|!=|<|>|=)/.exec(text.slice(i))![0];
      tokens.push({ kind: "op", text: op });
      i += op.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))![0];
      tokens.push(
        word === "AND"
          ? { kind: "and" }
          : word === "OR"
          ? { kind: "or" }
          : { kind: "ident", text: word },
      );
      i += word.length;
    } else {
      throw syntax(`unexpected character '${ch}' at ${i}`);
    }
  }
  return tokens;
}

const snakeOf = (type: string) => type.replaceAll("-", "_");

/** The member path after the type prefix, or the error for a wrong prefix. */
function memberOf(ident: string, t: DataTypeInfo): [Member, Format] {
  const dot = ident.indexOf(".");
  const prefix = dot < 0 ? ident : ident.slice(0, dot);
  const rest = dot < 0 ? "" : ident.slice(dot + 1);
  if (prefix !== snakeOf(t.type)) {
    const otherType = [...DATA_TYPES.values()].some((o) => snakeOf(o.type) === prefix);
    if (otherType) {
      throw new FilterError(
        "INVALID_DATA_POINT_FILTER_DATA_TYPE_RESTRICTION",
        `Filter restricts data type '${prefix}' but the request is for '${t.type}'.`,
      );
    }
    throw new FilterError(
      "INVALID_DATA_POINT_FILTER",
      `Invalid data point filter: unknown data type prefix '${prefix}' (use '${snakeOf(t.type)}').`,
    );
  }
  const found = MEMBERS[t.kind][rest];
  if (!found) {
    throw new FilterError(
      "INVALID_DATA_POINT_FILTER_DATA_TYPE_MEMBER",
      `Invalid member '${ident}' for data type '${t.type}'.`,
    );
  }
  return found;
}

function literalValue(literal: string, format: Format, ident: string): number | string {
  if (format === "physical") {
    if (!RFC3339.test(literal)) {
      throw new FilterError(
        "INVALID_DATA_POINT_FILTER_RESTRICTION_COMPARABLE",
        `'${literal}' is not an RFC 3339 timestamp (member '${ident}').`,
      );
    }
    return Date.parse(literal);
  }
  if (!(format === "date" ? DATE : CIVIL).test(literal)) {
    throw new FilterError(
      "INVALID_DATA_POINT_FILTER_CIVIL_DATE_TIME_FORMAT",
      `'${literal}' is not a civil ${
        format === "date" ? "date" : "date-time"
      } (member '${ident}').`,
    );
  }
  return civilOfLiteral(literal);
}

/** Parses and checks a filter for a data type; an empty text matches everything. */
export function parseFilter(text: string | undefined, t: DataTypeInfo): Filter {
  if (!text || !text.trim()) return [];
  const tokens = tokenize(text);
  const filter: Filter = [[]];
  let i = 0;
  const next = () => tokens[i++];
  while (true) {
    const ident = next();
    if (!ident) throw syntax("unexpected end of input");
    if (ident.kind !== "ident") throw syntax("expected a member name");
    const op = next();
    if (!op) throw syntax("unexpected end of input");
    if (op.kind !== "op" || (op.text !== ">=" && op.text !== "<")) {
      throw syntax(`expected '>=' or '<' after ${ident.text}`);
    }
    const literal = next();
    if (!literal) throw syntax("unexpected end of input");
    if (literal.kind !== "string") throw syntax("expected a quoted literal");
    const [member, format] = memberOf(ident.text, t);
    filter[filter.length - 1].push({
      member,
      format,
      op: op.text,
      value: literalValue(literal.text, format, ident.text),
    });
    const joiner = next();
    if (!joiner) return filter;
    if (joiner.kind === "and") {
      filter.push([]);
    } else if (joiner.kind === "or") {
      if (t.kind !== "sleep") {
        throw new FilterError(
          "INVALID_DATA_POINT_FILTER_EXPRESSION_STRUCTURE",
          `OR is not supported for data type '${t.type}'.`,
        );
      }
    } else {
      throw syntax("expected AND or OR");
    }
  }
}

/** Whether a point satisfies a filter. */
export function matches(filter: Filter, point: DataPoint, t: DataTypeInfo): boolean {
  return filter.every((any) =>
    any.some((clause) => {
      const value = memberValue(point, t, clause.member);
      if (value === undefined) return false;
      return clause.op === ">=" ? value >= clause.value : value < clause.value;
    })
  );
}
