import { FakeClock } from "../../core/clock.ts";
import { type ClioEmulator, type ClioEmulatorOptions, createClioEmulator } from "./app.ts";

/** Shared setup for the emulator's conformance tests (not a test file itself). */
export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON freely
  json: any;
  text: string;
}

export interface Harness {
  emulator: ClioEmulator;
  clock: FakeClock;
  token: string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  admin(method: string, path: string, body?: unknown): Promise<Reply>;
  /** A Person client with one matter; returns their ids. */
  client(extra?: Record<string, unknown>): Promise<{ contactId: number; matterId: number }>;
  /** An approved bill on `matterId` with one service line of `price`. */
  bill(matterId: number, price?: string, extra?: Record<string, unknown>): Promise<number>;
}

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export function harness(options: ClioEmulatorOptions = {}): Harness {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const emulator = createClioEmulator({ clock, rateLimitPerMinute: 10_000, ...options });
  const token = emulator.issueToken().access_token;
  const h: Harness = {
    emulator,
    clock,
    token,
    async api(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { Authorization: `Bearer ${token}`, ...headers } };
      if (body !== undefined) {
        init.body = typeof body === "string" ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)["Content-Type"] = "application/json";
      }
      return reply(await emulator.app.request(path.startsWith("/") ? path : `/api/v4/${path}`, init));
    },
    async admin(method, path, body) {
      const init: RequestInit = { method, headers: { "Content-Type": "application/json" } };
      if (body !== undefined) init.body = JSON.stringify(body);
      return reply(await emulator.app.request(`/__admin/${path}`, init));
    },
    async client(extra = {}) {
      const c = await h.admin("POST", "contacts", {
        type: "Person",
        first_name: "Dana",
        last_name: "Example",
        ...extra,
      });
      const m = await h.admin("POST", "matters", { client: { id: c.json.data.id }, description: "Matter" });
      return { contactId: c.json.data.id, matterId: m.json.data.id };
    },
    async bill(matterId, price = "100", extra = {}) {
      const b = await h.admin("POST", "bills", {
        matter_id: matterId,
        state: "awaiting_payment",
        line_items: [{ kind: "Service", description: "Work", quantity: 1, price }],
        ...extra,
      });
      if (b.status !== 201) throw new Error(`bill: ${b.text}`);
      return b.json.data.id;
    },
  };
  return h;
}
