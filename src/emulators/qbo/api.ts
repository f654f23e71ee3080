/**
 * The data API under /v3/company/{realmId}: injected faults and latency, bearer auth (401/3200),
 * per-realm quotas (429/3001), `requestid` replay, then the entity, query, batch and CDC routes.
 * Every answer is wrapped as QBO wraps it, with `time`.
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { runBatch } from "./batch.ts";
import { runCdc } from "./cdc.ts";
import type { EmulatorCore } from "./core.ts";
import { entityName } from "./entities.ts";
import { fault, faultEnvelope, gatewayFault, QboFault, xmlThrottleBody } from "./faults.ts";
import { checkBearer } from "./oauth.ts";
import { readEntity, requireEntity, write } from "./operations.ts";
import { runQuery } from "./query-exec.ts";
import type { Obj, RealmState } from "./state.ts";
import { envelopeTime } from "./time.ts";

/** Header that tells `emulator.fetch` to turn the answer into a connection reset. */
export const RESET_MARKER = "x-qbo-emulator-reset";

type Vars = { Variables: { realm: RealmState } };

function json(_c: Context, status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=UTF-8", intuit_tid: randomUUID() },
  });
}

function includes(c: Context): Set<string> {
  const set = new Set<string>();
  for (const v of c.req.queries("include") ?? [])
    for (const x of v.split(",")) set.add(x.trim().toLowerCase());
  return set;
}

async function readJson(c: Context): Promise<Obj> {
  const text = await c.req.text();
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === "object" && !Array.isArray(body)) return body as Obj;
  } catch {
    // fall through
  }
  throw fault(
    "2010",
    "Request has invalid or unsupported property",
    "The request body is not a JSON object.",
  );
}

function resetConnection(c: Context): Response {
  const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
  incoming?.socket?.destroy();
  return new Response(null, { status: 599, headers: { [RESET_MARKER]: "1" } });
}

export function apiRoutes(core: EmulatorCore): Hono<Vars> {
  const app = new Hono<Vars>();
  const time = () => envelopeTime(core.clock.now());

  app.use("/v3/company/:realmId/*", async (c, next) => {
    const realmId = c.req.param("realmId");
    const sub = c.req.path.slice(`/v3/company/${realmId}`.length);
    const url = new URL(c.req.url);
    await core.requests.arrive(c.req.method, `${sub}${url.search}`, () => c.req.text());
    const rule = core.faults.pick(c.req.method, sub);
    const latency = core.faults.latencyMs();
    if (latency > 0) await core.clock.sleep(latency);
    if (core.config.requireAuth) {
      const auth = checkBearer(core, c.req.header("authorization"));
      if ("reason" in auth) {
        return json(
          c,
          401,
          gatewayFault("3200", "AuthenticationFailed", 401, auth.reason, "AUTHENTICATION", core.clock.now()),
        );
      }
      if (auth.realmId !== realmId) {
        return json(
          c,
          403,
          gatewayFault(
            "3100",
            "ApplicationAuthorizationFailed",
            403,
            "The token is not authorized for this company",
            "AUTHORIZATION",
            core.clock.now(),
          ),
        );
      }
    }
    const realm = core.realm(realmId);
    if (!realm) {
      return json(
        c,
        403,
        gatewayFault(
          "3100",
          "ApplicationAuthorizationFailed",
          403,
          `Unknown company ${realmId}`,
          "AUTHORIZATION",
          core.clock.now(),
        ),
      );
    }
    const release = core.quotas.acquire(realmId, sub.toLowerCase().startsWith("/batch"));
    if (rule?.kind === "429" || !release) {
      release?.();
      const injected = rule?.kind === "429" ? rule : undefined;
      return throttleAnswer(core, time(), injected?.status ?? 429, injected?.retryAfter);
    }
    try {
      if (rule?.kind === "slow") await core.clock.sleep(rule.delayMs ?? 5000);
      if (rule?.kind === "timeout") {
        await core.clock.sleep(rule.delayMs ?? 120_000);
        return json(
          c,
          504,
          gatewayFault("504", "GatewayTimeout", 504, "The request timed out", "SERVICE", core.clock.now()),
        );
      }
      if (rule?.kind === "reset") return resetConnection(c);
      if (rule?.kind === "500" || rule?.kind === "503") {
        const status = Number(rule.kind);
        return json(
          c,
          status,
          faultEnvelope(
            new QboFault(
              [
                {
                  Message: "An application error has occurred while processing your request",
                  Detail: "System Failure Error: injected fault",
                  code: "10000",
                },
              ],
              status,
              "SystemFault",
            ),
            time(),
          ),
        );
      }
      c.set("realm", realm);
      const requestId = c.req.query("requestid");
      if (requestId && requestId.length > 50) {
        return json(
          c,
          400,
          faultEnvelope(
            fault(
              "2050",
              "String length is either shorter or longer than supported by specification",
              `requestid length ${requestId.length} is over the maximum of 50`,
              "requestid",
            ),
            time(),
          ),
        );
      }
      const key = requestId ? `${c.req.method} ${requestId}` : undefined;
      const stored = key ? realm.requestIds[key] : undefined;
      if (stored)
        return new Response(stored.body, {
          status: stored.status,
          headers: { "content-type": stored.contentType },
        });
      await next();
      if (key && c.req.method === "POST" && c.res.status < 500) {
        const body = await c.res.clone().text();
        realm.requestIds[key] = {
          status: c.res.status,
          body,
          contentType: c.res.headers.get("content-type") ?? "application/json",
        };
      }
      // "lost": the request was carried out, but its answer never reaches the client.
      if (rule?.kind === "lost") c.res = resetConnection(c);
    } finally {
      release();
    }
  });

  const handle = async (c: Context<Vars>, fn: (realm: RealmState) => Obj | Promise<Obj>) => {
    try {
      return json(c, 200, { ...(await fn(c.get("realm"))), time: time() });
    } catch (err) {
      if (err instanceof QboFault) return json(c, err.status, faultEnvelope(err, time()));
      throw err;
    }
  };

  const base = "/v3/company/:realmId";
  app.get(`${base}/query`, (c) =>
    handle(c, (realm) => ({ QueryResponse: runQuery(realm, c.req.query("query") ?? "") })),
  );
  app.post(`${base}/query`, (c) =>
    handle(c, async (realm) => {
      const text = c.req.query("query") ?? (await c.req.text());
      return { QueryResponse: runQuery(realm, text) };
    }),
  );
  app.post(`${base}/batch`, (c) =>
    handle(c, async (realm) => runBatch(core.context(realm, includes(c)), await readJson(c))),
  );
  app.get(`${base}/cdc`, (c) =>
    handle(c, (realm) => ({
      CDCResponse: [
        runCdc(realm, c.req.query("entities") ?? "", c.req.query("changedSince") ?? "", core.clock.now()),
      ],
    })),
  );
  app.get(`${base}/companyinfo/:id`, (c) =>
    handle(c, (realm) => {
      const id = c.req.param("id");
      return { CompanyInfo: readEntity(realm, "CompanyInfo", id === realm.realmId ? "1" : id) };
    }),
  );
  app.get(`${base}/preferences`, (c) =>
    handle(c, (realm) => ({ Preferences: readEntity(realm, "Preferences", "1") })),
  );
  app.get(`${base}/:entity/:id`, (c) =>
    handle(c, (realm) => {
      const type = requireEntity(c.req.param("entity"));
      return { [type]: readEntity(realm, type, c.req.param("id")) };
    }),
  );
  app.post(`${base}/:entity`, (c) =>
    handle(c, async (realm) => {
      const type = entityName(c.req.param("entity"));
      if (!type) throw fault("500", "Unsupported Operation", `Unsupported entity: ${c.req.param("entity")}`);
      const body = await readJson(c);
      const result = write(
        core.context(realm, includes(c)),
        type,
        c.req.query("operation") ?? "create",
        body,
      );
      return { [type]: result };
    }),
  );
  return app;
}

/**
 * The throttle answer (fault 3001): the gateway's JSON shape, or the XML body the real service has
 * sent even for JSON requests; with HTTP 429, or 403 as in older incidents (reference §7).
 */
function throttleAnswer(core: EmulatorCore, time: string, status: 429 | 403, retryAfter?: number): Response {
  const headers: Record<string, string> = { intuit_tid: randomUUID() };
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  if (core.quotas.config.xmlThrottle) {
    return new Response(xmlThrottleBody(time), {
      status,
      headers: { ...headers, "content-type": "application/xml" },
    });
  }
  const body = gatewayFault(
    "3001",
    "ThrottleExceeded",
    status,
    "The request limit was reached.  Try again later",
    "SERVICE",
    core.clock.now(),
  );
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, "content-type": "application/json;charset=UTF-8" },
  });
}
