import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { qboRequestLabel } from "../../testing/qbo-request-label.ts";
import type { TappedRequest } from "./request-tap.ts";
import { kit } from "./test-kit.ts";

describe("request tap", () => {
  it("counts every data API request and tells the listener what each was", async () => {
    const k = kit();
    const seen: TappedRequest[] = [];
    k.emu.core.requests.listener = (r) => {
      seen.push(r);
    };
    await k.query("select * from Customer");
    await k.post("/batch", {
      BatchItemRequest: [{ bId: "1", operation: "create", Customer: { DisplayName: "Tap One" } }],
    });
    assert.equal(k.emu.core.requests.count, 2);
    assert.deepEqual(
      seen.map((r) => [r.n, qboRequestLabel(r)]),
      [
        [1, "read Customer"],
        [2, "write Customer"],
      ],
    );
    // The body was read for the listener, and the batch still found it: the customer exists.
    const found = await k.query("select * from Customer where DisplayName = 'Tap One'");
    assert.equal(found.body.QueryResponse.Customer.length, 1);
  });

  it("holds a request until the listener lets it go, then carries it out", async () => {
    const k = kit();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    k.emu.core.requests.listener = (r) => (r.n === 1 ? held : undefined);
    let answered = false;
    const write = k.post("/customer", { DisplayName: "Held Customer" }).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(answered, false, "no answer while held");
    k.emu.core.requests.listener = undefined;
    const found = await k.query("select * from Customer where DisplayName = 'Held Customer'");
    assert.equal(found.body.QueryResponse.Customer, undefined, "not written while held");
    release();
    assert.equal((await write).status, 200);
  });
});
