import type { ContactFields } from "./contact-fields.ts";

export interface MatchCandidate {
  qboId: string;
  fields: ContactFields;
  displayName: string;
}

export type MatchResult =
  | { kind: "none" }
  | { kind: "exact"; qboId: string }
  | { kind: "ambiguous"; qboIds: string[] }
  | { kind: "near"; qboId: string; reason: string };

const norm = (s: string | null) => (s ?? "").trim().toLowerCase().replace(/\s+/g, " ");

/** The exact-match key (PRODUCT.md §1.1): Person first+last+email, Company name+email. */
export function matchKey(fields: ContactFields, isCompany: boolean): string | undefined {
  const email = norm(fields.email);
  if (!email) return undefined;
  if (isCompany) {
    const company = norm(fields.companyName);
    return company ? `c|${company}|${email}` : undefined;
  }
  const first = norm(fields.givenName);
  const last = norm(fields.familyName);
  return first || last ? `p|${first}|${last}|${email}` : undefined;
}

/** Name only, for near matches: same name with a different or missing email. */
function nameKey(fields: ContactFields, isCompany: boolean): string | undefined {
  if (isCompany) return norm(fields.companyName) ? `c|${norm(fields.companyName)}` : undefined;
  const first = norm(fields.givenName);
  const last = norm(fields.familyName);
  return first || last ? `p|${first}|${last}` : undefined;
}

/**
 * An index of QBO customers for first linking. Exactly one exact match links; several are
 * ambiguous (the user chooses); no exact match but the same name, or the same email under another
 * name, is a near match, proposed with its reason and never linked automatically.
 */
export class CustomerMatcher {
  readonly #exact = new Map<string, string[]>();
  readonly #byName = new Map<string, string[]>();
  readonly #byEmail = new Map<string, string[]>();

  constructor(candidates: Iterable<MatchCandidate>) {
    for (const c of candidates) {
      for (const isCompany of [false, true]) {
        const exact = matchKey(c.fields, isCompany);
        if (exact) push(this.#exact, exact, c.qboId);
        const name = nameKey(c.fields, isCompany);
        if (name) push(this.#byName, name, c.qboId);
      }
      const email = norm(c.fields.email);
      if (email) push(this.#byEmail, email, c.qboId);
    }
  }

  /** `taken` filters out customers already linked to another Clio contact. */
  match(
    fields: ContactFields,
    isCompany: boolean,
    taken: (qboId: string) => boolean = () => false,
  ): MatchResult {
    const free = (ids: string[] | undefined) => (ids ?? []).filter((id) => !taken(id));
    const key = matchKey(fields, isCompany);
    const exact = key ? free(this.#exact.get(key)) : [];
    if (exact.length === 1) return { kind: "exact", qboId: exact[0]! };
    if (exact.length > 1) return { kind: "ambiguous", qboIds: [...exact].sort() };
    const name = nameKey(fields, isCompany);
    const sameName = name ? free(this.#byName.get(name)) : [];
    if (sameName.length > 0) {
      return { kind: "near", qboId: sameName[0]!, reason: "same name, different or missing email" };
    }
    const email = norm(fields.email);
    const sameEmail = email ? free(this.#byEmail.get(email)) : [];
    if (sameEmail.length > 0)
      return { kind: "near", qboId: sameEmail[0]!, reason: "same email, different name" };
    return { kind: "none" };
  }
}

function push(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(id)) list.push(id);
  } else map.set(key, [id]);
}

export interface FirstLinkInput {
  clioId: string;
  fields: ContactFields;
  isCompany: boolean;
}

/**
 * First linking over all unlinked clients of a pass (PRODUCT.md §1.1, §2): exact matches are
 * decided first, for every client, so a customer that matches one client exactly is never
 * withheld from it because it looked like a near match of another. Near matches are proposed only
 * from the customers left: not linked (`linked`), not matched exactly in this pass, and not
 * proposed to another client (`proposed`). Clients are taken in the order given (by Clio id), so
 * when two clients match one customer exactly, the first one links and the second is compared
 * with what remains.
 */
export function decideFirstLinks(
  matcher: CustomerMatcher,
  clients: readonly FirstLinkInput[],
  linked: ReadonlyMap<string, string>,
  proposed: ReadonlyMap<string, string>,
): Map<string, MatchResult> {
  const decided = new Map<string, MatchResult>();
  const exactTaken = new Map<string, string>();
  const heldBy = (owner: string | undefined, clioId: string) => owner !== undefined && owner !== clioId;
  for (const c of clients) {
    const result = matcher.match(c.fields, c.isCompany, (q) =>
      heldBy(linked.get(q) ?? exactTaken.get(q), c.clioId),
    );
    if (result.kind === "exact") exactTaken.set(result.qboId, c.clioId);
    if (result.kind === "exact" || result.kind === "ambiguous") decided.set(c.clioId, result);
  }
  const nearTaken = new Map(proposed);
  for (const c of clients) {
    if (decided.has(c.clioId)) continue;
    const owner = (q: string) => linked.get(q) ?? exactTaken.get(q) ?? nearTaken.get(q);
    const result = matcher.match(c.fields, c.isCompany, (q) => heldBy(owner(q), c.clioId));
    if (result.kind === "near") nearTaken.set(result.qboId, c.clioId);
    decided.set(c.clioId, result.kind === "exact" || result.kind === "ambiguous" ? { kind: "none" } : result);
  }
  return decided;
}
