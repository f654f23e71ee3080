import assert from "node:assert/strict";
import { it } from "node:test";
import { firmJobSpec, isFirmJobPayload } from "./firm-jobs.ts";

it("every job of a firm goes to the firm's own queue; only the periodic pass has a job key", () => {
  const at = new Date(5_000);
  assert.deepEqual(firmJobSpec({ firmId: "a", kind: "reconcile" }), { queueName: "firm:a" });
  assert.deepEqual(firmJobSpec({ firmId: "a", kind: "resync", code: "x" }, at), {
    queueName: "firm:a",
    runAt: at,
  });
  assert.deepEqual(firmJobSpec({ firmId: "b", kind: "pass" }), {
    queueName: "firm:b",
    jobKey: "pass:b",
    jobKeyMode: "preserve_run_at",
  });
  assert.deepEqual(firmJobSpec({ firmId: "b", kind: "pass" }, at), {
    queueName: "firm:b",
    jobKey: "pass:b",
    jobKeyMode: "replace",
    runAt: at,
  });
});

it("takes only lexbridge's firm jobs as payloads", () => {
  assert.equal(isFirmJobPayload({ firmId: "a", kind: "pass" }), true);
  assert.equal(isFirmJobPayload({ firmId: "a", kind: "delete-everything" }), false);
  assert.equal(isFirmJobPayload(null), false);
  const targets = { contacts: ["1"], bills: [], qbo: [{ entity: "Customer", id: "58" }] };
  assert.equal(isFirmJobPayload({ firmId: "a", kind: "targeted", targets }), true);
  // A webhook's job must name its records in the shape the engine reads.
  assert.equal(isFirmJobPayload({ firmId: "a", kind: "targeted" }), false);
  assert.equal(
    isFirmJobPayload({ firmId: "a", kind: "targeted", targets: { ...targets, bills: [7] } }),
    false,
  );
  assert.equal(
    isFirmJobPayload({ firmId: "a", kind: "targeted", targets: { ...targets, qbo: [{}] } }),
    false,
  );
});
