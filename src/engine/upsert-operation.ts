import type { QboEntityName } from "../qbo/schemas.ts";
import type { EntityKind, Link } from "../store/port.ts";
import { requestIdFor } from "./hash.ts";
import { holdsQboRecord } from "./link-state.ts";
import type { OperationPayload, PlannedOperation } from "./operation.ts";
import { type PassContext, type PlanEntry, recordPlan } from "./pass-context.ts";

export interface UpsertInput {
  realmId: string;
  entity: EntityKind;
  qboEntity: QboEntityName;
  clioId: string;
  name: string;
  /** The existing link: linked → full update of that record; broken or none → create. */
  link: Link | undefined;
  /** The mapped body, without Id/SyncToken. */
  body: Record<string, unknown>;
  contentHash: string;
  /** Makes the request id new for a retry the user asked for (see attemptSalt). */
  salt?: string;
  issue: OperationPayload["issue"];
  sources?: OperationPayload["sources"];
  /** Further payload fields (baseline, expected total). */
  extra?: Pick<OperationPayload, "baseline" | "expectedTotal">;
}

/**
 * The one way a planner turns mapped content into a create or a full update, so every entity gets
 * the same request-id recipe: realm, entity, Clio id, action, content hash, then the SyncToken it
 * updates — or, for a re-creation after a broken link, the id of the record it replaces, so QBO
 * does not answer the new create with the old one's response — and the retry salt.
 */
export function upsertOperation(ctx: PassContext, input: UpsertInput): PlannedOperation {
  const { operation, entry } = upsertOf(input);
  recordPlan(ctx, entry);
  return operation;
}

/** The operation and its plan entry, without recording anything (for pure planners). */
export function upsertOf(input: UpsertInput): { operation: PlannedOperation; entry: PlanEntry } {
  const link = input.link;
  // A voided record is still in QBO: it is updated, not created again.
  const update = holdsQboRecord(link);
  const action = update ? "update" : "create";
  const body = update ? { ...input.body, Id: link.qboId, SyncToken: link.syncToken } : input.body;
  const entry: PlanEntry = {
    phase: input.entity,
    action,
    clioId: input.clioId,
    name: input.name,
    ...(update ? { qboId: link.qboId } : {}),
  };
  const operation: PlannedOperation = {
    entity: input.entity,
    clioId: input.clioId,
    action,
    requestId: requestIdFor([
      input.realmId,
      input.entity,
      input.clioId,
      action,
      input.contentHash,
      update ? link.syncToken : link?.state === "broken" ? link.qboId : "",
      input.salt ?? "",
    ]),
    payload: {
      qboEntity: input.qboEntity,
      operation: action,
      body,
      contentHash: input.contentHash,
      issue: input.issue,
      sources: input.sources ?? [],
      ...input.extra,
    },
  };
  return { operation, entry };
}
