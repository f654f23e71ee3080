/**
 * The QBO query language (reference §4.1): SELECT * | COUNT(*) FROM entity [WHERE a op v AND …]
 * [ORDERBY f [ASC|DESC], …] [STARTPOSITION n] [MAXRESULTS n]. Keywords and entity names in any
 * case; `ORDER BY` accepted as well as `ORDERBY`; strings in single quotes with `\'` and `\\`
 * escapes. Parse problems are fault 4000.
 */
import { faults } from "./faults.ts";

export type Literal = string | number | boolean;

export interface Condition {
  field: string;
  op: "=" | "<" | ">" | "<=" | ">=" | "IN" | "LIKE" | "!=";
  value: Literal | Literal[];
}

export interface ParsedQuery {
  count: boolean;
  entity: string;
  where: Condition[];
  orderBy: Array<{ field: string; desc: boolean }>;
  startPosition?: number;
  maxResults?: number;
}

type Token =
  | { kind: "word"; text: string; pos: number }
  | { kind: "string"; text: string; pos: number }
  | { kind: "number"; text: string; pos: number }
  | { kind: "sym"; text: string; pos: number };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'") {
      let value = "";
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const ch = text[j]!;
        if (ch === "\\") {
          if (j + 1 >= text.length)
            throw faults.queryParse(`Lexical error at column ${j + 1}: trailing backslash.`);
          value += text[j + 1];
          j += 2;
        } else if (ch === "'") {
          closed = true;
          j += 1;
          break;
        } else {
          value += ch;
          j += 1;
        }
      }
      if (!closed) throw faults.queryParse(`Lexical error at column ${i + 1}: unterminated string.`);
      out.push({ kind: "string", text: value, pos: i });
      i = j;
    } else if ((/[0-9-]/.test(c) && /[0-9.]/.test(text[i + 1] ?? "x")) || /[0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i))!;
      out.push({ kind: "number", text: m[0], pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      out.push({ kind: "word", text: m[0], pos: i });
      i += m[0].length;
    } else if (/[<>!]/.test(c) && text[i + 1] === "=") {
      out.push({ kind: "sym", text: c + "=", pos: i });
      i += 2;
    } else if ("=<>(),*".includes(c)) {
      out.push({ kind: "sym", text: c, pos: i });
      i += 1;
    } else {
      throw faults.queryParse(`Lexical error at column ${i + 1}. Encountered: "${c}"`);
    }
  }
  return out;
}

class Parser {
  #tokens: Token[];
  #i = 0;
  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }
  peek(): Token | undefined {
    return this.#tokens[this.#i];
  }
  next(): Token {
    const t = this.#tokens[this.#i];
    if (!t) throw faults.queryParse("Encountered <EOF>: the query ended too early.");
    this.#i += 1;
    return t;
  }
  isWord(word: string): boolean {
    const t = this.peek();
    return t?.kind === "word" && t.text.toUpperCase() === word;
  }
  expectWord(word: string): void {
    const t = this.next();
    if (t.kind !== "word" || t.text.toUpperCase() !== word) {
      throw faults.queryParse(`Encountered "${t.text}" at column ${t.pos + 1}. Was expecting: "${word}"`);
    }
  }
  expectSym(sym: string): void {
    const t = this.next();
    if (t.kind !== "sym" || t.text !== sym) {
      throw faults.queryParse(`Encountered "${t.text}" at column ${t.pos + 1}. Was expecting: "${sym}"`);
    }
  }
  done(): boolean {
    return this.#i >= this.#tokens.length;
  }
}

function literal(t: Token): Literal {
  if (t.kind === "string") return t.text;
  if (t.kind === "number") return Number(t.text);
  if (t.kind === "word" && /^(true|false)$/i.test(t.text)) return t.text.toLowerCase() === "true";
  throw faults.queryParse(`Encountered "${t.text}" at column ${t.pos + 1}. Was expecting a value.`);
}

function integer(p: Parser): number {
  const t = p.next();
  if (t.kind !== "number" || !/^\d+$/.test(t.text)) {
    throw faults.queryParse(`Encountered "${t.text}" at column ${t.pos + 1}. Was expecting an integer.`);
  }
  return Number(t.text);
}

function condition(p: Parser): Condition {
  const f = p.next();
  if (f.kind !== "word")
    throw faults.queryParse(`Encountered "${f.text}" at column ${f.pos + 1}. Was expecting a property.`);
  const opTok = p.next();
  const opText = opTok.text.toUpperCase();
  if (opTok.kind === "word" && opText === "IN") {
    p.expectSym("(");
    const values: Literal[] = [literal(p.next())];
    while (p.peek()?.text === ",") {
      p.next();
      values.push(literal(p.next()));
    }
    p.expectSym(")");
    return { field: f.text, op: "IN", value: values };
  }
  if (opTok.kind === "word" && opText === "LIKE") {
    const v = p.next();
    if (v.kind !== "string") throw faults.queryParse(`LIKE needs a quoted string at column ${v.pos + 1}.`);
    return { field: f.text, op: "LIKE", value: v.text };
  }
  if (opTok.kind !== "sym" || !["=", "<", ">", "<=", ">=", "!="].includes(opTok.text)) {
    throw faults.queryParse(
      `Encountered "${opTok.text}" at column ${opTok.pos + 1}. Was expecting an operator.`,
    );
  }
  return { field: f.text, op: opTok.text as Condition["op"], value: literal(p.next()) };
}

export function parseQuery(text: string): ParsedQuery {
  const p = new Parser(tokenize(text));
  p.expectWord("SELECT");
  let count = false;
  if (p.isWord("COUNT")) {
    p.next();
    p.expectSym("(");
    p.expectSym("*");
    p.expectSym(")");
    count = true;
  } else {
    p.expectSym("*");
  }
  p.expectWord("FROM");
  const e = p.next();
  if (e.kind !== "word")
    throw faults.queryParse(`Encountered "${e.text}" at column ${e.pos + 1}. Was expecting an entity.`);
  const q: ParsedQuery = { count, entity: e.text, where: [], orderBy: [] };
  if (p.isWord("WHERE")) {
    p.next();
    q.where.push(condition(p));
    while (p.isWord("AND")) {
      p.next();
      q.where.push(condition(p));
    }
  }
  if (p.isWord("ORDERBY") || p.isWord("ORDER")) {
    if (p.next().text.toUpperCase() === "ORDER") p.expectWord("BY");
    for (;;) {
      const f = p.next();
      if (f.kind !== "word") throw faults.queryParse(`Encountered "${f.text}" at column ${f.pos + 1}.`);
      let desc = false;
      if (p.isWord("DESC") || p.isWord("ASC")) desc = p.next().text.toUpperCase() === "DESC";
      q.orderBy.push({ field: f.text, desc });
      if (p.peek()?.text !== ",") break;
      p.next();
    }
  }
  for (let k = 0; k < 2; k++) {
    if (p.isWord("STARTPOSITION")) {
      p.next();
      q.startPosition = integer(p);
    } else if (p.isWord("MAXRESULTS")) {
      p.next();
      q.maxResults = integer(p);
    }
  }
  if (!p.done()) {
    const t = p.next();
    throw faults.queryParse(`Encountered "${t.text}" at column ${t.pos + 1}.`);
  }
  return q;
}
