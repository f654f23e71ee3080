import assert from "node:assert/strict";
import { it } from "node:test";
import type { OutboxOperation } from "../store/port.ts";
import { replayTurns } from "./executor.ts";

const op = (requestId: string, seq: number, batchId: string | null): OutboxOperation =>
  ({
    requestId,
    batchId,
    entity: seq === 3 ? "credit_memo" : "credit_application",
    clioId: requestId,
    action: "create",
    payload: {},
    seq,
    state: "pending",
    createdAt: 1,
  }) as unknown as OutboxOperation;

it("replays a batch of two kinds whole, in the turn of its earliest write", () => {
  const turns = replayTurns([
    op("a", 3, "B1"),
    op("b", 4, "B1"),
    op("c", 4, null),
    op("d", 4, "d"), // sent alone
    op("e", 4, "B2"),
  ]);
  const ids = (seq: number) => (turns.get(seq) ?? []).map((o) => o.requestId);
  assert.deepEqual(ids(3), ["a", "b"], "B1 with both of its writes");
  assert.deepEqual(ids(4), ["c", "d", "e"]);
});
