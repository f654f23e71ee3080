/** Shared helpers for the emulator's tests: an emulator on a FakeClock with a token and call helpers. */
import { FakeClock } from "../../core/clock.ts";
import type { QboEmulatorOptions } from "./core.ts";
import { createQboEmulator } from "./index.ts";

export type Json = Record<string, any>;

export function kit(options: QboEmulatorOptions = {}) {
  const clock =
    options.clock instanceof FakeClock ? options.clock : new FakeClock(Date.UTC(2026, 1, 3, 18, 0, 0));
  const emu = createQboEmulator({ ...options, clock });
  const realm = emu.defaultRealmId;
  const token = emu.issueTokens(realm).access_token;
  const headers = {
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
    accept: "application/json",
  };
  async function call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
    const url =
      path.startsWith("/v3") || path.startsWith("/__") || path.startsWith("/oauth")
        ? path
        : `/v3/company/${realm}${path}`;
    const res = await emu.fetch(`http://qbo.test${url}`, {
      method,
      headers: { ...headers, ...extra },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: Json = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { text };
    }
    return { status: res.status, body: json, headers: res.headers };
  }
  const post = (path: string, body: unknown) => call("POST", path, body);
  const get = (path: string) => call("GET", path);
  const query = (q: string) => call("GET", `/query?query=${encodeURIComponent(q)}`);
  async function create(entity: string, body: Json): Promise<Json> {
    const r = await post(`/${entity.toLowerCase()}`, body);
    if (r.status !== 200) throw new Error(`create ${entity} failed: ${JSON.stringify(r.body)}`);
    return r.body[entity];
  }
  async function account(subType: string): Promise<Json> {
    const r = await query(`select * from Account where AccountSubType = '${subType}'`);
    return r.body.QueryResponse.Account[0];
  }
  const faultCode = (r: { body: Json }) => r.body.Fault?.Error?.[0]?.code ?? r.body.fault?.error?.[0]?.code;
  const element = (r: { body: Json }) => r.body.Fault?.Error?.[0]?.element;
  function invoiceBody(customerId: string, amount = 100, extra: Json = {}): Json {
    return {
      CustomerRef: { value: customerId },
      Line: [
        {
          Amount: amount,
          DetailType: "SalesItemLineDetail",
          SalesItemLineDetail: { ItemRef: { value: "19" }, Qty: 1, UnitPrice: amount },
        },
      ],
      ...extra,
    };
  }
  return {
    emu,
    clock,
    realm,
    token,
    headers,
    call,
    post,
    get,
    query,
    create,
    account,
    faultCode,
    element,
    invoiceBody,
  };
}
