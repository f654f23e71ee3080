/**
 * The admin API under /__admin (documented in docs/emulators-qbo.md): reset, export/import,
 * realms, OAuth apps and tokens, fault injection, latency, quotas and time scale, closing the
 * books, depositing payments (to create the 6540 case), webhooks, seeding, and editing records
 * "as a user would in the web app" (no SyncToken needed; still bumps SyncToken and CDC time).
 */
import { Hono } from "hono";
import type { QboSeed } from "../shared/qbo-seed.ts";
import { COMPANY_PROFILES, type CompanyProfileId } from "./company-profiles.ts";
import type { EmulatorCore } from "./core.ts";
import { exportState, importState } from "./export.ts";
import type { FaultRule, LatencyConfig } from "./fault-injection.ts";
import { QboFault } from "./faults.ts";
import { issueTokens } from "./oauth.ts";
import { createEntity, requireEntity, updateEntity } from "./operations.ts";
import type { QuotaConfig } from "./quotas.ts";
import type { TxnRuleOptions } from "./rules-txns.ts";
import { loadQboSeed } from "./seed.ts";
import { get, type Obj, table } from "./state.ts";
import { LENGTH_UNITS } from "./text-length.ts";

async function body(req: Request): Promise<Obj> {
  const text = await req.text();
  if (!text.trim()) return {};
  return JSON.parse(text) as Obj;
}

export function adminRoutes(core: EmulatorCore): Hono {
  const app = new Hono();
  const realmOr404 = (id: string) => core.realm(id);

  app.onError((err, c) => {
    if (err instanceof QboFault) return c.json({ Fault: err.toFault() }, 400);
    return c.json({ error: err instanceof Error ? err.message : String(err) }, 400);
  });

  app.post("/reset", (c) => {
    core.reset();
    core.faults.clear();
    return c.json({ ok: true, defaultRealmId: core.state.defaultRealmId });
  });
  app.get("/state", (c) => c.json(exportState(core, { volatile: c.req.query("volatile") !== "false" })));
  app.put("/state", async (c) => {
    importState(core, await body(c.req.raw));
    return c.json({ ok: true, defaultRealmId: core.state.defaultRealmId });
  });

  app.get("/realms", (c) =>
    c.json({ defaultRealmId: core.state.defaultRealmId, realms: Object.keys(core.state.realms) }),
  );
  app.post("/realms", async (c) => {
    const b = await body(c.req.raw);
    const profile = get.str(b, "profile") ?? "us";
    if (!(COMPANY_PROFILES as readonly string[]).includes(profile))
      return c.json({ error: `profile must be one of ${COMPANY_PROFILES.join(", ")}` }, 400);
    const realm = core.createRealm(get.str(b, "companyName"), get.str(b, "realmId"), {
      profile: profile as CompanyProfileId,
      multiCurrency: get.bool(b, "multiCurrency") ?? false,
    });
    return c.json({ realmId: realm.realmId, profile }, 201);
  });
  app.post("/realms/:realmId/seed", async (c) => {
    const realm = realmOr404(c.req.param("realmId"));
    if (!realm) return c.json({ error: "unknown realm" }, 404);
    return c.json(loadQboSeed(core, realm, (await body(c.req.raw)) as unknown as QboSeed));
  });

  app.post("/apps", async (c) => {
    const b = await body(c.req.raw);
    const clientId = get.str(b, "clientId");
    const clientSecret = get.str(b, "clientSecret");
    if (!clientId || !clientSecret) return c.json({ error: "clientId and clientSecret are required" }, 400);
    const redirectUris = Array.isArray(b.redirectUris) ? b.redirectUris.map(String) : [];
    core.state.oauth.apps[clientId] = { clientId, clientSecret, redirectUris };
    return c.json({ clientId, redirectUris }, 201);
  });
  app.post("/tokens", async (c) => {
    const b = await body(c.req.raw);
    const realmId = get.str(b, "realmId") ?? core.state.defaultRealmId;
    if (!core.realm(realmId)) return c.json({ error: "unknown realm" }, 404);
    return c.json(issueTokens(core, realmId, get.str(b, "clientId") ?? "admin"));
  });
  app.post("/tokens/expire", (c) => {
    const now = core.clock.now();
    for (const rec of Object.values(core.state.oauth.access)) rec.expires = Math.min(rec.expires, now);
    return c.json({ ok: true });
  });

  app.get("/faults", (c) => c.json({ rules: core.faults.rules, latency: core.faults.latency }));
  app.put("/faults", async (c) => {
    const b = await body(c.req.raw);
    core.faults.set((b.rules ?? []) as FaultRule[], get.num(b, "seed"));
    return c.json({ rules: core.faults.rules });
  });
  app.delete("/faults", (c) => {
    core.faults.clear();
    return c.json({ ok: true });
  });
  app.put("/latency", async (c) => {
    const b = (await body(c.req.raw)) as Partial<LatencyConfig>;
    core.faults.latency = { minMs: Number(b.minMs ?? 0), maxMs: Number(b.maxMs ?? b.minMs ?? 0) };
    return c.json(core.faults.latency);
  });
  app.get("/quotas", (c) => c.json(core.quotas.config));
  app.put("/quotas", async (c) =>
    c.json(core.quotas.configure((await body(c.req.raw)) as Partial<QuotaConfig>)),
  );

  // Emulator rules that are settings of the emulator, not of the company (see rules-txns.ts).
  app.get("/rules", (c) => c.json(core.config.rules));
  app.put("/rules", async (c) => {
    const patch = (await body(c.req.raw)) as Partial<TxnRuleOptions>;
    if (patch.lengthUnit !== undefined && !LENGTH_UNITS.includes(patch.lengthUnit))
      return c.json({ error: `lengthUnit must be one of ${LENGTH_UNITS.join(", ")}` }, 400);
    if (patch.taxRounding !== undefined && !["half-up", "half-even"].includes(patch.taxRounding))
      return c.json({ error: "taxRounding must be half-up or half-even" }, 400);
    if (patch.globalSuppliedTax !== undefined && !["recompute", "honour"].includes(patch.globalSuppliedTax))
      return c.json({ error: "globalSuppliedTax must be recompute or honour" }, 400);
    core.config.rules = { ...core.config.rules, ...patch };
    return c.json(core.config.rules);
  });

  app.put("/webhooks", async (c) => {
    const b = await body(c.req.raw);
    const url = get.str(b, "url");
    const verifierToken = get.str(b, "verifierToken");
    if (!url || !verifierToken) return c.json({ error: "url and verifierToken are required" }, 400);
    return c.json(core.webhooks.configure({ ...(b as object), url, verifierToken }));
  });
  app.delete("/webhooks", (c) => {
    core.webhooks.disable();
    return c.json({ ok: true });
  });
  app.get("/webhooks/deliveries", (c) => c.json({ deliveries: core.webhooks.deliveries }));

  app.post("/realms/:realmId/close-books", async (c) => {
    const realm = realmOr404(c.req.param("realmId"));
    if (!realm) return c.json({ error: "unknown realm" }, 404);
    const date = get.str(await body(c.req.raw), "date");
    const prefs = table(realm, "Preferences")["1"]!;
    const acct = (prefs.data.AccountingInfoPrefs ?? {}) as Obj;
    updateEntity(
      core.context(realm),
      "Preferences",
      {
        Id: "1",
        AccountingInfoPrefs: { ...acct, BookCloseDate: date },
      },
      { sparse: true, checkToken: false },
    );
    return c.json({ BookCloseDate: date ?? null });
  });

  app.post("/realms/:realmId/deposit", async (c) => {
    const realm = realmOr404(c.req.param("realmId"));
    if (!realm) return c.json({ error: "unknown realm" }, 404);
    const b = await body(c.req.raw);
    const ids = Array.isArray(b.paymentIds) ? b.paymentIds.map(String) : [];
    const bank =
      get.str(b, "accountId") ??
      Object.values(table(realm, "Account")).find((r) => r.data.AccountType === "Bank")?.id;
    const lines = ids.map((id) => {
      const pay = table(realm, "Payment")[id];
      return {
        Amount: pay?.data.TotalAmt ?? 0,
        LinkedTxn: [{ TxnId: id, TxnType: "Payment", TxnLineId: "0" }],
      };
    });
    const deposit = createEntity(core.context(realm), "Deposit", {
      DepositToAccountRef: { value: bank },
      Line: lines,
    });
    return c.json({ Deposit: deposit }, 201);
  });

  app.patch("/realms/:realmId/:entity/:id", async (c) => {
    const realm = realmOr404(c.req.param("realmId"));
    if (!realm) return c.json({ error: "unknown realm" }, 404);
    const type = requireEntity(c.req.param("entity"));
    const patch = await body(c.req.raw);
    const result = updateEntity(
      core.context(realm),
      type,
      { ...patch, Id: c.req.param("id") },
      {
        sparse: true,
        checkToken: false,
      },
    );
    return c.json({ [type]: result });
  });
  return app;
}
