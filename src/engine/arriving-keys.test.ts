import assert from "node:assert/strict";
import { test } from "node:test";
import { ArrivingKeys } from "./arriving-keys.ts";

test("keys gathered while the consumer works come together, each once, and the batches end with the stream", async () => {
  const keys = new ArrivingKeys();
  keys.add(["a", "b"]);
  const seen: string[][] = [];
  for await (const batch of keys.batches()) {
    seen.push([...batch]);
    if (seen.length === 1) {
      // Arrive while the first batch is worked on: the next batch holds both, "c" once.
      keys.add(["c", "d"]);
      keys.add(["c"]);
      keys.end();
    }
  }
  assert.deepEqual(seen, [
    ["a", "b"],
    ["c", "d"],
  ]);
});

test("a consumer waiting for keys wakes when they arrive", async () => {
  const keys = new ArrivingKeys();
  const seen: string[] = [];
  const consumed = (async () => {
    for await (const batch of keys.batches()) seen.push(...batch);
  })();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, []);
  keys.add(["x"]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, ["x"]);
  keys.endWith(Promise.resolve());
  await consumed;
});

test("a failed stream ends the batches and drops what it had gathered", async () => {
  const keys = new ArrivingKeys();
  keys.add(["a"]);
  const read = Promise.reject(new Error("clio down"));
  read.catch(() => {});
  keys.endWith(read);
  await new Promise((resolve) => setImmediate(resolve));
  const seen: string[] = [];
  for await (const batch of keys.batches()) seen.push(...batch);
  assert.deepEqual(seen, []);
});
