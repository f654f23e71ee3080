import { runCli } from "./cli-process.ts";
import type { EmulatorPair } from "./emulator-pair.ts";

/** Helpers of the end-to-end tests that drive `lexbridge` as a process against an emulator pair. */

type Obj = Record<string, unknown>;

/** A Sync Status item as `lexbridge status --json` lists it. */
export type StatusItem = { id: number; key: string; code: string; attempts: number; message: string };

export const clioIdOf = (r: Obj) => Number((r.data as { id: number }).id);

/** The QBO emulator's records of one entity, as stored (with Id and SyncToken). */
export function qboRows(pair: EmulatorPair, type: string): Obj[] {
  const realm = pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!;
  return Object.values(realm.records[type] ?? {}).map(
    (r) => ({ ...r.data, Id: r.id, SyncToken: String(r.syncToken) }) as Obj,
  );
}

/** The open Sync Status items. */
export async function openItems(pair: EmulatorPair): Promise<StatusItem[]> {
  return JSON.parse((await runCli(["status", "--each", "--json", ...pair.cliFlags])).stdout)
    .items as StatusItem[];
}

/**
 * A bill with one service line (2 × 125.00) on a new matter of the client, approved in Clio;
 * `fields` replaces or adds bill fields (other lines, tax rates, a discount).
 */
export async function approvedBill(
  pair: EmulatorPair,
  clientId: number,
  number: string,
  fields: Record<string, unknown> = {},
): Promise<number> {
  const matter = clioIdOf(
    await pair.clioAdmin("POST", "/matters", { client_id: clientId, description: "Estate" }),
  );
  const bill = clioIdOf(
    await pair.clioAdmin("POST", "/bills", {
      matter_id: matter,
      number,
      issued_at: "2026-04-01",
      due_at: "2026-04-30",
      line_items: [{ kind: "Service", description: "Drafting", quantity: 2, price: 125 }],
      ...fields,
    }),
  );
  await pair.clioAdmin("POST", `/bills/${bill}/approve`);
  return bill;
}

/**
 * A write through QBO's public API, as a person's action in the web app reaches QBO (creating an
 * item, making a customer inactive): the HTTP response is returned as is.
 */
export async function qboUserWrite(pair: EmulatorPair, entity: string, body: Obj): Promise<Response> {
  const token = pair.qbo.emulator.issueTokens(pair.qbo.defaultRealmId).access_token;
  return fetch(`${pair.qbo.url}/v3/company/${pair.qbo.defaultRealmId}/${entity}?minorversion=75`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    body: JSON.stringify(body),
  });
}

/** A sparse update, as a person's edit (for example `Active: false`) reaches QBO. */
export function qboUserUpdate(pair: EmulatorPair, entity: string, body: Obj): Promise<Response> {
  return qboUserWrite(pair, entity, { ...body, sparse: true });
}

/** What `lexbridge sync --json` prints (the parts these tests read). */
export interface PassOutput {
  runId: string;
  plan: Array<{ phase: string; action: string; clioId: string }>;
  writes?: Obj[];
  written: { sent: number; failed: number };
  reconciled: { scope: string; ok: boolean; differences: number };
}

/**
 * `lexbridge sync --once --json` with the full reconciliation after it (so a check means
 * "everything agrees", not only the clients the pass touched); `reconciled` keeps the verdict.
 */
export async function syncOnceFull(pair: EmulatorPair, ...extra: string[]): Promise<PassOutput> {
  const run = await runCli([
    "sync",
    "--once",
    "--json",
    "--reconcile-full-hours",
    "0",
    ...pair.cliFlags,
    ...extra,
  ]);
  if (run.code !== 0) throw new Error(`lexbridge sync exited ${run.code}: ${run.stderr}`);
  const out = JSON.parse(run.stdout) as PassOutput;
  const r = out.reconciled;
  return { ...out, reconciled: { scope: r.scope, ok: r.ok, differences: r.differences } };
}

const WRITES = new Set(["create", "update", "void", "delete", "update_clio", "reactivate"]);

/** The writes a pass's plan lists (not its items or proposals), as sorted `phase action clioId`. */
export function plannedWrites(pass: Pick<PassOutput, "plan">): string[] {
  return pass.plan
    .filter((p) => WRITES.has(p.action))
    .map((p) => `${p.phase} ${p.action} ${p.clioId}`)
    .sort();
}

/** A person in Clio with one work email; returns the contact's id. */
export async function clioPerson(
  pair: EmulatorPair,
  first: string,
  last: string,
  email: string,
): Promise<number> {
  return clioIdOf(
    await pair.clioAdmin("POST", "/contacts", {
      type: "Person",
      first_name: first,
      last_name: last,
      email_addresses: [{ address: email, name: "Work", default_email: true }],
    }),
  );
}
