import {
  type ClioTrustTransactionView,
  movementClients,
  movementKey,
  movementType,
  type TrustMovement,
  toTrustJournalEntry,
} from "../mapping/trust-journal.ts";
import type { IssueInput, MirrorRecord } from "../store/port.ts";
import { contentHash, requestIdFor } from "./hash.ts";
import { raise } from "./issues.ts";
import type { PlannedOperation } from "./operation.ts";
import { attemptSalt, type PassContext, recordPlan } from "./pass-context.ts";
import type { ClioListKind, EngineDeps } from "./ports.ts";
import { toMirror } from "./pull-clio.ts";
import {
  type ClioTrustAccountView,
  ensureTrustAccounts,
  readTrustAccountMap,
  type TrustAccountMap,
} from "./setup-trust.ts";
import { upsertOperation } from "./upsert-operation.ts";

/** The Clio streams the pass must pull before the trust phase (and before customers). */
export const TRUST_STREAMS: ClioListKind[] = ["bank_transaction"];

const PAGE = 1000;

/** Sync Status key of one trust journal entry (`tx:<id>` or `transfer:<id>`). */
export const trustIssueKey = (key: string) => `journal_entry:${key}`;
/** Sync Status key of a client's trust drift found by the reconciliation. */
export const trustDriftKey = (clientId: string) => `trust:${clientId}`;

/**
 * Phase 5 — trust (PRODUCT.md §1.5). Each Clio trust movement — a trust bank transaction, or the
 * two legs of a matter-to-matter transfer — becomes one balanced JournalEntry; a changed movement
 * updates it, a movement deleted in Clio deletes it. A movement whose client has no customer yet
 * waits (the customers phase makes trust clients eligible). A re-sync of a client's trust drift
 * re-writes all that client's entries from Clio, re-creating deleted ones.
 */
export async function planTrust(deps: EngineDeps, ctx: PassContext): Promise<PlannedOperation[]> {
  let map: TrustAccountMap;
  if (ctx.dryRun) {
    map = await readTrustAccountMap(deps);
  } else {
    const setup = await ensureTrustAccounts(deps);
    map = setup.map;
    for (const issue of setup.issues)
      recordPlan(ctx, { phase: "issue", action: issue.code, clioId: issue.clioId ?? "" });
    await markDeletedTransactions(deps, setup.clioAccounts);
  }

  const keys = new Set<string>();
  const forced = new Map<string, string>(); // key → salt for a requested re-write
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bank_transaction", {
      dirtyOnly: true,
      afterId: after,
      limit: PAGE,
    });
    for (const m of page) keys.add(movementKey(m.data as unknown as ClioTrustTransactionView));
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  const repairClients = new Map<string, string>();
  for (const issue of ctx.openIssues.values()) {
    if (!issue.retryRequested) continue;
    if (issue.key.startsWith("journal_entry:")) {
      const key = issue.key.slice("journal_entry:".length);
      keys.add(key);
      forced.set(key, `r${issue.attempts}`);
    } else if (issue.key.startsWith("trust:")) {
      repairClients.set(issue.key.slice("trust:".length), `d${issue.attempts}`);
    }
  }
  if (repairClients.size > 0) {
    for (let after: string | undefined; ; ) {
      const page = await deps.store.listMirror("bank_transaction", { afterId: after, limit: PAGE });
      for (const m of page) {
        const tx = m.data as unknown as ClioTrustTransactionView;
        const salt = repairClients.get(String(tx.client?.id ?? ""));
        if (salt === undefined) continue;
        keys.add(movementKey(tx));
        forced.set(movementKey(tx), salt);
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
    // Entries of the client whose transactions are gone from the mirror are found by their links.
    for (const link of await deps.store.listLinks("journal_entry")) {
      const records = await trustRecords(deps, link.clioId);
      if (records.length === 0) keys.add(link.clioId);
    }
  }

  const ops: PlannedOperation[] = [];
  const clean: Array<{ kind: "bank_transaction"; id: string }> = [];
  for (const key of [...keys].sort(byKey)) {
    const records = await trustRecords(deps, key);
    const result = await planMovement(deps, ctx, map, key, records, forced.get(key));
    const sources = records.map((r) => ({ kind: "bank_transaction" as const, id: r.id }));
    if (result === "clean") clean.push(...sources);
    else if (result) ops.push({ ...result, payload: { ...result.payload, sources } });
  }
  if (clean.length > 0 && !ctx.dryRun) await deps.store.commit({ mirrorClean: clean }, deps.clock.now());
  return ops;
}

function byKey(a: string, b: string): number {
  const [ka, ia] = a.split(":") as [string, string];
  const [kb, ib] = b.split(":") as [string, string];
  return ka === kb ? Number(ia) - Number(ib) : ka < kb ? -1 : 1;
}

/** The mirrored transactions of a movement key (tombstones of deleted ones included). */
export async function trustRecords(deps: EngineDeps, key: string): Promise<MirrorRecord[]> {
  const [kind, id] = key.split(":") as [string, string];
  if (kind === "transfer") return deps.store.listMirrorByParent("bank_transaction", `BankTransfer:${id}`);
  const m = await deps.store.getMirror("bank_transaction", id);
  return m ? [m] : [];
}

function toMovement(key: string, live: ClioTrustTransactionView[]): TrustMovement | undefined {
  if (key.startsWith("tx:")) return live[0] ? { kind: "single", tx: live[0] } : undefined;
  const from = live.find((t) => Number(t.funds_out ?? 0) > 0);
  const to = live.find((t) => t !== from);
  if (!from || !to) return undefined;
  return { kind: "transfer", transferId: key.slice("transfer:".length), from, to };
}

const LABELS = {
  deposit: "Trust deposit",
  trust_request: "Trust request payment",
  withdrawal: "Trust withdrawal",
  bill_payment: "Trust bill payment",
  transfer: "Trust transfer",
} as const;

async function planMovement(
  deps: EngineDeps,
  ctx: PassContext,
  map: TrustAccountMap,
  key: string,
  records: MirrorRecord[],
  forcedSalt: string | undefined,
): Promise<PlannedOperation | "clean" | undefined> {
  const issueKey = trustIssueKey(key);
  const link = await deps.store.getLink("journal_entry", key);
  const live = records
    .map((r) => r.data as unknown as ClioTrustTransactionView)
    .filter((t) => t.deleted !== true);
  const movement = toMovement(key, live);
  const name = movement
    ? `${LABELS[movementType(movement)]} ${key.split(":")[1]}`
    : `Trust ${key.replace(":", " ")}`;
  const issue: Pick<IssueInput, "key" | "entity" | "clioId" | "clioName"> = {
    key: issueKey,
    entity: "journal_entry",
    clioId: key,
    clioName: name,
  };
  const salt = forcedSalt ?? attemptSalt(ctx, issueKey, true);
  if (salt === undefined) return "clean";

  const remove = (): PlannedOperation | "clean" => {
    if (link?.state !== "linked") return "clean";
    recordPlan(ctx, { phase: "journal_entry", action: "delete", clioId: key, name, qboId: link.qboId });
    return {
      entity: "journal_entry",
      clioId: key,
      action: "delete",
      requestId: requestIdFor([deps.qbo.realmId, "journal_entry", key, "delete", link.syncToken, salt]),
      payload: {
        qboEntity: "JournalEntry",
        operation: "delete",
        body: { Id: link.qboId, SyncToken: link.syncToken },
        contentHash: "deleted",
        linkAfter: "delete",
        issue,
        sources: [],
      },
    };
  };
  if (!movement) return live.length === 0 ? remove() : "clean";
  if (link?.state === "broken" && forcedSalt === undefined) return "clean";

  const accountId = String(
    movement.kind === "single" ? movement.tx.bank_account?.id : movement.to.bank_account?.id,
  );
  const accounts = map[accountId];
  if (!accounts && !ctx.dryRun) {
    await raise(deps, ctx, {
      ...issue,
      code: "sync_trust_account_missing",
      message: `${name} is in Clio trust account ${accountId}, which has no QuickBooks trust accounts yet`,
    });
    return undefined;
  }
  const customerIdByClient = new Map<string, string>();
  for (const client of movementClients(movement)) {
    const customer = await deps.store.getLink("customer", client);
    if (customer?.state === "linked") customerIdByClient.set(client, customer.qboId);
    else if (
      ctx.dryRun &&
      ctx.plan.some((p) => p.phase === "customer" && p.clioId === client && p.action === "create")
    ) {
      customerIdByClient.set(client, `(new customer for Clio ${client})`);
    } else {
      await raise(deps, ctx, {
        ...issue,
        code: "sync_customer_not_synced",
        message: `${name} waits for its client (Clio contact ${client}) to be linked to a QuickBooks customer`,
      });
      return undefined; // stays dirty: planned again once the customer exists
    }
  }
  const mapped = toTrustJournalEntry(movement, {
    bankAccountId: accounts?.bank ?? `(new trust bank for Clio account ${accountId})`,
    liabilityAccountId: accounts?.liability ?? `(new trust liability for Clio account ${accountId})`,
    customerIdByClient,
  });
  const error = mapped.notes.find((n) => n.severity === "error");
  if (error) {
    await raise(deps, ctx, { ...issue, code: "sync_mapping_failed", message: `${name}: ${error.message}` });
    return "clean";
  }
  if (!mapped.value) return remove();
  const hash = contentHash(mapped.value);
  if (link?.state === "linked" && link.contentHash === hash && forcedSalt === undefined) return "clean";
  return upsertOperation(ctx, {
    realmId: deps.qbo.realmId,
    entity: "journal_entry",
    qboEntity: "JournalEntry",
    clioId: key,
    name,
    link,
    body: mapped.value,
    contentHash: hash,
    salt,
    issue,
  });
}

/**
 * Clio has no tombstones for bank transactions (clio-api.md §5.10): a deleted one just stops being
 * listed. After the `updated_since` pull the mirror holds every live transaction, so when an
 * account's mirrored count exceeds Clio's `bank_transactions_count`, something was deleted: then
 * (only then) every trust transaction is listed once, and the mirrored ones Clio no longer has are
 * kept as dirty tombstones, so their entries are deleted.
 */
export async function markDeletedTransactions(
  deps: EngineDeps,
  accounts: ClioTrustAccountView[],
): Promise<number> {
  const counts = new Map<string, number>();
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bank_transaction", { afterId: after, limit: PAGE });
    for (const m of page) {
      const tx = m.data as unknown as ClioTrustTransactionView;
      if (tx.deleted) continue;
      const account = String(tx.bank_account?.id ?? "");
      counts.set(account, (counts.get(account) ?? 0) + 1);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  const differs = accounts.some(
    (a) =>
      a.bank_transactions_count !== undefined &&
      a.bank_transactions_count !== null &&
      (counts.get(String(a.id)) ?? 0) !== a.bank_transactions_count,
  );
  if (!differs) return 0;
  const seen = new Set<string>();
  for await (const page of deps.clio.list("bank_transaction", undefined)) {
    for (const r of page.records) seen.add(String(r.id));
    await deps.store.commit(
      { mirror: page.records.map((r) => toMirror("bank_transaction", r)) },
      deps.clock.now(),
    );
  }
  const tombstones: Parameters<typeof deps.store.commit>[0]["mirror"] = [];
  for (let after: string | undefined; ; ) {
    const page = await deps.store.listMirror("bank_transaction", { afterId: after, limit: PAGE });
    for (const m of page) {
      if (seen.has(m.id) || (m.data as { deleted?: boolean }).deleted) continue;
      tombstones.push({
        kind: "bank_transaction",
        id: m.id,
        parentId: m.parentId,
        etag: "deleted",
        data: { ...m.data, deleted: true },
        forceDirty: true,
      });
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  if (tombstones.length > 0) await deps.store.commit({ mirror: tombstones }, deps.clock.now());
  return tombstones.length;
}
