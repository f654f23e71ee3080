import type { EngineDeps } from "./ports.ts";
import { toMirror } from "./pull-clio.ts";
import type { ClioTrustAccountView } from "./setup-trust.ts";

const PAGE = 1000;

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
      const tx = m.data;
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
      if (seen.has(m.id) || m.data.deleted) continue;
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
