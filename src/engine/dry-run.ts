import { ok } from "../core/errors.ts";
import type { BatchItem, BatchItemResult, WriteItem } from "../qbo/client.ts";
import type { Store } from "../store/port.ts";
import type { ClioPort, EngineDeps, QboPort } from "./ports.ts";

/** A write the pass would make, as the dry run saw it go out. */
export interface DryRunWrite {
  to: "qbo" | "clio";
  entity: string;
  operation: string;
  /** The QBO id of the record updated, voided or deleted, or the Clio contact patched. */
  id?: string;
}

/**
 * A dry run is the real pass against stand-ins: a scratch copy of the store, and providers whose
 * reads are real and whose writes are answered in place — a QBO create gets a made-up id
 * (`dry-1`, …), an update a SyncToken one higher, a Clio PATCH the contact as the patch leaves it.
 * Every phase therefore plans exactly as the next real pass would, including what depends on
 * earlier writes (invoices on new customers, credit applications on new credit memos) and on
 * changes read from QBO, and nothing reaches either provider or the real store.
 */
export async function dryRunDeps(
  deps: EngineDeps,
): Promise<{ deps: EngineDeps; writes: DryRunWrite[]; close(): Promise<void> }> {
  const writes: DryRunWrite[] = [];
  const store: Store = await deps.store.scratchCopy();
  return {
    deps: { ...deps, store, qbo: simulatedQbo(deps.qbo, writes), clio: simulatedClio(deps.clio, writes) },
    writes,
    close: () => store.close(),
  };
}

type Body = Record<string, unknown>;

function simulatedQbo(real: QboPort, writes: DryRunWrite[]): QboPort {
  let next = 0;
  const answer = (entity: string, operation: string, body: Body): Body => {
    const id = body.Id === undefined ? undefined : String(body.Id);
    writes.push({ to: "qbo", entity, operation, ...(id ? { id } : {}) });
    const syncToken = body.SyncToken === undefined ? "0" : String(Number(body.SyncToken) + 1);
    return {
      ...body,
      Id: id ?? `dry-${++next}`,
      SyncToken: syncToken,
      ...(operation === "void" ? { TotalAmt: 0 } : { TotalAmt: lineTotal(body) }),
    };
  };
  return {
    realmId: real.realmId,
    query: real.query.bind(real),
    queryAll: real.queryAll.bind(real),
    cdc: real.cdc.bind(real),
    read: real.read.bind(real),
    batch: (async (items: BatchItem[]) =>
      ok(
        items.map((item): BatchItemResult => {
          if ("query" in item) return { bId: item.bId, ok: true, query: {} };
          return {
            bId: item.bId,
            ok: true,
            entity: item.entity,
            value: answer(item.entity, item.operation, item.body),
          };
        }),
      )) as QboPort["batch"],
    writeSingle: (async (item: WriteItem) =>
      ok(answer(item.entity, item.operation, item.body))) as QboPort["writeSingle"],
    create: (async (entity: string, body: Body) => ok(answer(entity, "create", body))) as QboPort["create"],
    sparseUpdate: (async (entity: string, patch: Body) =>
      ok(answer(entity, "update", patch))) as QboPort["sparseUpdate"],
  };
}

/** What QBO would report as the total: the sum of the lines (a discount line subtracts). */
function lineTotal(body: Body): number | undefined {
  const lines = body.Line;
  if (!Array.isArray(lines)) return undefined;
  let cents = 0;
  for (const line of lines as Body[]) {
    const amount = Math.round(Number(line.Amount ?? 0) * 100);
    if (line.DetailType === "SalesItemLineDetail") cents += amount;
    else if (line.DetailType === "DiscountLineDetail") cents -= amount;
  }
  return cents / 100;
}

function simulatedClio(real: ClioPort, writes: DryRunWrite[]): ClioPort {
  return {
    list: real.list.bind(real),
    listIds: real.listIds.bind(real),
    listOfClient: real.listOfClient.bind(real),
    allocationIdsOfBill: real.allocationIdsOfBill.bind(real),
    contactsByIds: real.contactsByIds.bind(real),
    byIds: real.byIds.bind(real),
    listOfBill: real.listOfBill.bind(real),
    allocationsOfParent: real.allocationsOfParent.bind(real),
    webUrl: real.webUrl.bind(real),
    async updateContact(id, body) {
      writes.push({ to: "clio", entity: "contact", operation: "update", id });
      const [current] = await real.contactsByIds([id]);
      return { ...current, ...plainFields(body), id: Number(id) };
    },
  };
}

/** The scalar fields of a PATCH body (nested collections stay as read: the copy is thrown away). */
function plainFields(body: Record<string, unknown>): Record<string, unknown> {
  const data = (body.data ?? body) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v === null || typeof v !== "object"));
}
