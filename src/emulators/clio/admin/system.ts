import type { Hono } from "hono";
import type { ClioEmulator } from "../app.ts";
import type { FaultRule } from "../faults.ts";
import type { ClioStateJson } from "../state.ts";
import { body } from "./body.ts";

/** Reset, export/import, OAuth apps and tokens, faults, latency, quotas, webhook delivery log. */
export function registerAdminSystem(app: Hono, emulator: ClioEmulator): void {
  const p = "/__admin";
  app.post(`${p}/reset`, async (c) => {
    const b = await body(c);
    emulator.reset(b.tables ? (b as unknown as ClioStateJson) : undefined);
    return c.json({ ok: true });
  });
  app.get(`${p}/export`, (c) => c.json(emulator.exportState()));
  app.post(`${p}/import`, async (c) => {
    emulator.reset((await body(c)) as unknown as ClioStateJson);
    return c.json({ ok: true });
  });
  app.get(`${p}/summary`, (c) => {
    const counts: Record<string, number> = {};
    for (const [name, table] of Object.entries(emulator.state.tables)) counts[name] = table.size;
    return c.json({ region: emulator.config.region, counts });
  });
  app.post(`${p}/apps`, async (c) => {
    const b = await body(c);
    const appRec = {
      client_id: String(b.client_id ?? ""),
      client_secret: String(b.client_secret ?? ""),
      redirect_uris: Array.isArray(b.redirect_uris) ? b.redirect_uris.map(String) : [],
    };
    if (!appRec.client_id || !appRec.client_secret)
      return c.json({ error: "client_id and client_secret are required" }, 400);
    emulator.state.apps.set(appRec.client_id, appRec);
    if (b.require_registered !== undefined)
      emulator.config.requireRegisteredApps = Boolean(b.require_registered);
    return c.json(appRec, 201);
  });
  app.post(`${p}/tokens`, async (c) => {
    const b = await body(c);
    const t = emulator.issueToken(b.client_id ? String(b.client_id) : undefined);
    return c.json(
      {
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        expires_in: emulator.config.tokenExpiresIn,
      },
      201,
    );
  });
  app.put(`${p}/faults`, async (c) => {
    const b = await body(c);
    emulator.faults.configure({ rules: (b.rules ?? []) as FaultRule[], seed: Number(b.seed ?? 1) });
    return c.json({ rules: emulator.faults.rules });
  });
  app.delete(`${p}/faults`, (c) => {
    emulator.faults.configure({ rules: [] });
    return c.json({ rules: [] });
  });
  app.put(`${p}/latency`, async (c) => {
    const b = await body(c);
    emulator.latency.ms = Number(b.ms ?? 0);
    emulator.latency.jitterMs = Number(b.jitter_ms ?? 0);
    return c.json(emulator.latency);
  });
  app.put(`${p}/quotas`, async (c) => {
    const b = await body(c);
    if (b.rate_limit_per_minute !== undefined)
      emulator.config.rateLimitPerMinute = Number(b.rate_limit_per_minute);
    if (b.time_scale !== undefined) emulator.config.timeScale = Number(b.time_scale);
    emulator.limiter.reset();
    return c.json({
      rate_limit_per_minute: emulator.config.rateLimitPerMinute,
      time_scale: emulator.config.timeScale,
    });
  });
  app.get(`${p}/webhooks/deliveries`, (c) => c.json({ deliveries: emulator.webhooks.log }));
}
