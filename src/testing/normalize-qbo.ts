type Row = Record<string, unknown>;

interface ExportedRealm {
  records: Record<string, Array<{ id: string; data: Row }>>;
}

const KEYED: Record<string, (data: Row) => string> = {
  Customer: (d) => `customer:${String(d.DisplayName)}`,
  Vendor: (d) => `vendor:${String(d.DisplayName)}`,
  Item: (d) => `item:${String(d.Name)}`,
  Account: (d) => `account:${String(d.Name)}`,
  Invoice: (d) => `invoice:${String(d.DocNumber)}:${String(d.PrivateNote ?? "")}`,
  Payment: (d) => `payment:${String(d.PrivateNote ?? "")}`,
  CreditMemo: (d) => `credit_memo:${String(d.PrivateNote ?? "")}`,
  JournalEntry: (d) => `journal:${String(d.PrivateNote ?? "")}`,
  PaymentMethod: (d) => `method:${String(d.Name)}`,
  TaxCode: (d) => `tax:${String(d.Name)}`,
};

const TXN_TYPES: Record<string, string> = {
  Invoice: "Invoice",
  CreditMemo: "CreditMemo",
  Payment: "Payment",
  JournalEntry: "JournalEntry",
};

/**
 * A QBO emulator export with every id replaced by a stable key (customers by name, invoices by
 * number, payments by their note, …) and server bookkeeping (Id, SyncToken, times) left out, so
 * two runs that wrote the same things in a different order — or through retries and replays —
 * compare equal, and a duplicate or a missing record does not.
 */
export function normalizeQboExport(exported: Row, realmId: string): Row {
  const realm = (exported.realms as Record<string, ExportedRealm>)[realmId]!;
  const keyOf = new Map<string, string>();
  for (const [type, records] of Object.entries(realm.records)) {
    const key = KEYED[type];
    for (const r of records) keyOf.set(`${type}:${r.id}`, key ? key(r.data) : `${type}:${r.id}`);
  }
  const out: Record<string, string[]> = {};
  for (const [type, records] of Object.entries(realm.records)) {
    out[type] = records
      .map((r) => JSON.stringify({ key: keyOf.get(`${type}:${r.id}`), data: scrub(r.data, keyOf) }))
      .sort();
  }
  return out;
}

function scrub(value: unknown, keyOf: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => scrub(v, keyOf));
  if (value === null || typeof value !== "object") return value;
  const row = value as Row;
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === "Id" || k === "SyncToken" || k === "MetaData" || k === "LineNum") continue;
    if (k.endsWith("Ref") && v && typeof v === "object" && "value" in (v as Row)) {
      const type = refType(k);
      const ref = String((v as Row).value);
      out[k] = type ? (keyOf.get(`${type}:${ref}`) ?? ref) : ref;
      continue;
    }
    if (k === "TxnId" && typeof row.TxnType === "string") {
      out[k] = keyOf.get(`${TXN_TYPES[row.TxnType] ?? row.TxnType}:${String(v)}`) ?? v;
      continue;
    }
    const scrubbed = scrub(v, keyOf);
    // An invoice's LinkedTxn lists payments in the order QBO received them: order is not content.
    out[k] =
      k === "LinkedTxn" && Array.isArray(scrubbed)
        ? [...scrubbed].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
        : scrubbed;
  }
  return out;
}

function refType(field: string): string | undefined {
  // JournalEntry lines name their customer as Entity.EntityRef.
  if (field === "CustomerRef" || field === "ParentRef" || field === "EntityRef") return "Customer";
  if (field === "ItemRef") return "Item";
  if (field.endsWith("AccountRef")) return "Account";
  if (field === "PaymentMethodRef") return "PaymentMethod";
  if (field === "TaxCodeRef") return "TaxCode";
  return undefined;
}
