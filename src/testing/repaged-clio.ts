import type { ClioListKind, ClioPort } from "../engine/ports.ts";

type Records = Record<string, unknown>[];

/**
 * The engine's Clio port with one stream read whole from the emulator and handed to the engine
 * in the pages `repage` yields (which may hold a page back until something happens); every other
 * call goes to the real port. How a test sees what the engine does before a stream's last page.
 */
export function withRepagedStream(
  real: ClioPort,
  stream: ClioListKind,
  repage: (records: Records) => AsyncIterable<Records>,
): ClioPort {
  const list = async function* (kind: ClioListKind, since: string | undefined) {
    if (kind !== stream) {
      yield* real.list(kind, since);
      return;
    }
    const records: Records = [];
    for await (const page of real.list(kind, since)) records.push(...(page.records as Records));
    for await (const page of repage(records)) yield { records: page };
  };
  return new Proxy(real, {
    get: (target, key) => {
      if (key === "list") return list;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as ClioPort;
}

/** "write" once `written` resolves, "gave up" after `ms` (the timer never keeps the process up). */
export function writtenOrGaveUp(written: Promise<void>, ms: number): Promise<"write" | "gave up"> {
  return Promise.race([
    written.then(() => "write" as const),
    new Promise<"gave up">((resolve) => setTimeout(() => resolve("gave up"), ms).unref()),
  ]);
}
