import type { QboEntityName } from "../qbo/schemas.ts";
import type {
  EntityKind,
  IssueInput,
  LinkBaseline,
  OperationAction,
  OutboxOperation,
} from "../store/port.ts";

/**
 * What the executor needs to send one planned write and to finish it afterwards. It is stored
 * whole in the outbox payload, so a replay after a crash needs nothing but the outbox.
 */
export interface OperationPayload {
  qboEntity: QboEntityName;
  operation: "create" | "update" | "delete" | "void";
  body: Record<string, unknown>;
  /** Batch `optionsData`, e.g. `include=void` for a payment void. */
  options?: string;
  /**
   * Hash of the mapped content; stored on the link so an unchanged record is not written again.
   * Absent for a void or a delete, which write no content.
   */
  contentHash?: string;
  /** The baseline to store on the link (a contact's merge base, an invoice's fingerprint, …). */
  baseline?: LinkBaseline | null;
  /** For invoices: the total QBO must report, checked after the write. */
  expectedTotal?: string;
  /** The Sync Status issue this write resolves when it succeeds, and describes when it fails. */
  issue: Pick<IssueInput, "key" | "entity" | "clioId" | "clioName">;
  /** The mirror records this write came from: clean once it is done or became an issue. */
  sources: Array<{
    kind: "contact" | "bill" | "allocation" | "credit_memo" | "bank_transaction";
    id: string;
  }>;
  /** What becomes of the link after success: by default `linked`; a void keeps the pairing as `voided`. */
  linkAfter?: "voided" | "delete";
  /** The QBO value before the write, for the audit log. */
  before?: unknown;
  /**
   * The item's id inside its batch, fixed when the batch is formed: a batch replayed after a crash
   * is answered with its original response, whose items are found by these ids.
   */
  bId?: string;
}

export interface PlannedOperation {
  entity: EntityKind;
  clioId: string;
  action: OperationAction;
  requestId: string;
  payload: OperationPayload;
}

export const PHASE: Record<EntityKind, number> = {
  customer: 1,
  invoice: 2,
  payment: 3,
  credit_memo: 3,
  credit_application: 4,
  journal_entry: 5,
};

/**
 * `batchId`: the batch the operation is sent in; its own request id when it is sent alone; null
 * while it is not sent yet (executor.ts).
 */
export function toOutbox(op: PlannedOperation, batchId: string | null, at: number): OutboxOperation {
  return {
    requestId: op.requestId,
    batchId,
    entity: op.entity,
    clioId: op.clioId,
    action: op.action,
    payload: op.payload,
    seq: PHASE[op.entity],
    state: "pending",
    createdAt: at,
  };
}

export function fromOutbox(op: OutboxOperation): PlannedOperation {
  return {
    entity: op.entity,
    clioId: op.clioId,
    action: op.action,
    requestId: op.requestId,
    payload: op.payload,
  };
}
