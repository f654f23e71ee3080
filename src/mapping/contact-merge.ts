import {
  CONTACT_FIELD_NAMES,
  type ContactFieldName,
  type ContactFields,
  sameFieldValue,
} from "./contact-fields.ts";

export type ConflictPolicy = "latest-wins" | "clio-wins" | "qbo-wins";

export interface FieldConflict {
  field: ContactFieldName;
  base: unknown;
  clio: unknown;
  qbo: unknown;
  winner: "clio" | "qbo";
}

export interface ContactMerge {
  /** The agreed values after the merge (the next base). */
  merged: ContactFields;
  /** Fields whose value must be written to QBO. */
  toQbo: ContactFieldName[];
  /** Fields whose value must be written to Clio. */
  toClio: ContactFieldName[];
  conflicts: FieldConflict[];
}

export interface MergeInput {
  base: ContactFields | null;
  clio: ContactFields;
  qbo: ContactFields;
  policy: ConflictPolicy;
  /** Last edit times (epoch ms) used by `latest-wins`; a tie goes to Clio, the system of record. */
  clioUpdatedAt: number;
  qboUpdatedAt: number;
}

/**
 * Three-way merge, field by field, with the last synced values as the base: a field changed on
 * one side goes to the other; changed on both sides to different values is a conflict settled by
 * the policy. Clearing is a change like any other. Without a base (first link) Clio's non-empty
 * values win and QBO fills only what Clio lacks.
 */
export function mergeContact(input: MergeInput): ContactMerge {
  const merged = { ...input.clio };
  const toQbo: ContactFieldName[] = [];
  const toClio: ContactFieldName[] = [];
  const conflicts: FieldConflict[] = [];
  const set = (field: ContactFieldName, value: unknown) => {
    (merged as Record<string, unknown>)[field] = value;
  };

  for (const field of CONTACT_FIELD_NAMES) {
    const clio = input.clio[field];
    const qbo = input.qbo[field];
    if (sameFieldValue(clio, qbo)) continue;
    if (input.base === null) {
      if (clio === null) {
        set(field, qbo);
        toClio.push(field);
      } else toQbo.push(field);
      continue;
    }
    const base = input.base[field];
    const clioChanged = !sameFieldValue(clio, base);
    const qboChanged = !sameFieldValue(qbo, base);
    if (clioChanged && !qboChanged) {
      toQbo.push(field);
    } else if (qboChanged && !clioChanged) {
      set(field, qbo);
      toClio.push(field);
    } else {
      const winner = pickWinner(input);
      conflicts.push({ field, base, clio, qbo, winner });
      if (winner === "clio") toQbo.push(field);
      else {
        set(field, qbo);
        toClio.push(field);
      }
    }
  }
  return { merged, toQbo, toClio, conflicts };
}

function pickWinner(input: MergeInput): "clio" | "qbo" {
  if (input.policy === "clio-wins") return "clio";
  if (input.policy === "qbo-wins") return "qbo";
  return input.qboUpdatedAt > input.clioUpdatedAt ? "qbo" : "clio";
}
