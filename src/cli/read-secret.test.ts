import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { it } from "node:test";
import { readSecret, SecretInputCancelled } from "./read-secret.ts";

/** A stand-in terminal: a stream that says it is a TTY and records raw mode. */
function fakeTerminal() {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(on: boolean): void };
  const modes: boolean[] = [];
  stream.isTTY = true;
  stream.setRawMode = (on: boolean) => {
    modes.push(on);
  };
  return { stream, modes };
}

it("reads a secret from a terminal in raw mode (nothing echoed), with Backspace, up to Enter", async () => {
  const { stream, modes } = fakeTerminal();
  const secret = readSecret("", stream as unknown as NodeJS.ReadStream);
  stream.write("hunter22");
  stream.write("\u007f3\r");
  assert.equal(await secret, "hunter23");
  assert.deepEqual(modes, [true, false], "raw mode is left again");
});

it("gives up on Ctrl+C and leaves raw mode", async () => {
  const { stream, modes } = fakeTerminal();
  const secret = readSecret("", stream as unknown as NodeJS.ReadStream);
  stream.write("abc\u0003");
  await assert.rejects(secret, SecretInputCancelled);
  assert.deepEqual(modes, [true, false]);
});

it("reads the first line of piped input", async () => {
  const stream = new PassThrough();
  const secret = readSecret("", stream as unknown as NodeJS.ReadStream);
  stream.end("from a pipe\nignored\n");
  assert.equal(await secret, "from a pipe");
});
