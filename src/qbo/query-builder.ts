/**
 * Builds QBO queries with every value escaped (reference §4.1, quirk 3): inside single quotes a
 * backslash becomes `\\` and a quote `\'` (in that order). Sends `ORDERBY` (the documented
 * keyword). Values are never concatenated raw.
 */
export type QueryValue = string | number | boolean;
export type QueryOp = "=" | "<" | ">" | "<=" | ">=" | "IN" | "LIKE";

export function escapeQueryString(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("'", "\\'");
}

export function queryLiteral(value: QueryValue): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`Not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  return `'${escapeQueryString(value)}'`;
}

const FIELD = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

function field(name: string): string {
  if (!FIELD.test(name)) throw new Error(`Not a QBO property name: ${name}`);
  return name;
}

export class QboQuery {
  readonly entity: string;
  #count = false;
  #where: string[] = [];
  #order: string[] = [];
  #start?: number;
  #max?: number;

  constructor(entity: string) {
    this.entity = field(entity);
  }

  where(name: string, op: QueryOp, value: QueryValue | QueryValue[]): this {
    if (op === "IN") {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) throw new Error("IN needs at least one value");
      this.#where.push(`${field(name)} IN (${list.map(queryLiteral).join(", ")})`);
    } else {
      if (Array.isArray(value)) throw new Error(`${op} takes one value`);
      this.#where.push(`${field(name)} ${op} ${queryLiteral(value)}`);
    }
    return this;
  }

  orderBy(name: string, direction: "ASC" | "DESC" = "ASC"): this {
    this.#order.push(`${field(name)} ${direction}`);
    return this;
  }

  startPosition(n: number): this {
    this.#start = n;
    return this;
  }

  maxResults(n: number): this {
    this.#max = n;
    return this;
  }

  count(): this {
    this.#count = true;
    return this;
  }

  /** A copy with paging replaced (used by the page iterator). */
  page(start: number, max: number): QboQuery {
    const q = new QboQuery(this.entity);
    q.#count = this.#count;
    q.#where = [...this.#where];
    q.#order = [...this.#order];
    q.#start = start;
    q.#max = max;
    return q;
  }

  toString(): string {
    let text = `SELECT ${this.#count ? "COUNT(*)" : "*"} FROM ${this.entity}`;
    if (this.#where.length > 0) text += ` WHERE ${this.#where.join(" AND ")}`;
    if (this.#order.length > 0) text += ` ORDERBY ${this.#order.join(", ")}`;
    if (this.#start !== undefined) text += ` STARTPOSITION ${this.#start}`;
    if (this.#max !== undefined) text += ` MAXRESULTS ${this.#max}`;
    return text;
  }
}

export function qboQuery(entity: string): QboQuery {
  return new QboQuery(entity);
}
