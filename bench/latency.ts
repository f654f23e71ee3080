import { parseArgs } from "node:util";
import { type ServeHandle, startServe } from "../src/cli/commands/serve.ts";
import { silentLogger } from "../src/core/logger.ts";
import { generateFirm } from "../src/emulators/generator/index.ts";
import { freePort } from "../src/testing/cli-process.ts";
import { startEmulatorPair } from "../src/testing/emulator-pair.ts";
import { countingFetch } from "./call-counter.ts";

type Row = Record<string, unknown>;
const VERIFIER = "bench-verifier-token";

/**
 * Issue 12's latency benchmark: `lexbridge serve` with webhooks on, against both emulators (in
 * this process, over real HTTP). After the initial sync it makes `--changes` changes at a steady
 * rate, cycling through four kinds — a contact edit in Clio, a new approved bill in Clio, a
 * customer edit in QuickBooks, a payment in Clio of the last new bill — and measures from each
 * change to its effect in the other system (polling the emulators' state every 50 ms), then
 * prints p50/p95/max per kind. The interval is `--interval` seconds (default 300), so anything
 * well under it came through a webhook.
 */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      size: { type: "string", default: "small" },
      seed: { type: "string", default: "1" },
      changes: { type: "string", default: "200" },
      "gap-ms": { type: "string", default: "1000" },
      interval: { type: "string", default: "300" },
    },
  });
  const firm = generateFirm({ size: values.size as "small", seed: Number(values.seed) });
  const pair = await startEmulatorPair({ clio: { firm }, qbo: { seed: firm.qbo } });
  const port = await freePort();
  const counter = countingFetch(new URL(pair.clio.url).origin);
  const serve = await startServe(
    {
      ...pair.config,
      port,
      publicUrl: `http://127.0.0.1:${port}`,
      qboWebhookVerifierToken: VERIFIER,
      syncIntervalSeconds: Number(values.interval),
    },
    silentLogger,
    { host: "127.0.0.1", adminPassword: "benchmark password", fetch: counter.fetch },
  );
  const realm = pair.qbo.defaultRealmId;
  const qboRecords = (entity: string) =>
    Object.values(pair.qbo.emulator.state.realms[realm]!.records[entity] ?? {}) as Array<{
      id: string;
      data: Row;
    }>;
  const clioState = pair.clio.emulator.state;
  try {
    const started = Date.now();
    await serve.runner.whenIdle();
    process.stdout.write(
      `initial sync of a ${values.size} firm: ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    await pair.qboAdmin("PUT", "/webhooks", {
      url: `${serve.url}/webhooks/qbo`,
      verifierToken: VERIFIER,
      format: "cloudevents",
      windowMs: 0,
    });
    // Linked people with a matter: their contacts, customers and matters are what the changes touch.
    const clients: Array<{ clio: number; qbo: string; matter: number }> = [];
    for (const link of await serve.store.listLinks("customer")) {
      const contact = clioState.get("contacts", Number(link.clioId));
      const matter = [...clioState.all("matters")].find((m) => m.client_id === Number(link.clioId));
      if (contact?.type === "Person" && matter && link.state === "linked")
        clients.push({ clio: contact.id, qbo: link.qboId, matter: matter.id });
    }
    if (clients.length === 0) throw new Error("no linked person with a matter in this firm");
    const token = pair.clio.emulator.issueToken().access_token;
    const clioApi = async (method: string, path: string, data: Row) => {
      const res = await fetch(`${pair.clio.url}/api/v4/${path}.json`, {
        method,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ data }),
      });
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
    };
    const latencies = new Map<string, number[]>();
    const pending = new Set<{ kind: string; at: number; done: () => boolean }>();
    const poller = setInterval(() => {
      for (const p of pending) {
        if (!p.done()) continue;
        pending.delete(p);
        latencies.set(p.kind, [...(latencies.get(p.kind) ?? []), Date.now() - p.at]);
      }
    }, 50);
    let lastBill: { number: string; id: number } | undefined;
    const total = Number(values.changes);
    for (let i = 0; i < total; i++) {
      const client = clients[i % clients.length]!;
      const at = Date.now();
      const kind = ["contact edit (Clio)", "new bill (Clio)", "customer edit (QBO)", "payment (Clio)"][
        i % 4
      ]!;
      if (kind === "contact edit (Clio)") {
        const first = `Bench${i}`;
        await clioApi("PATCH", `contacts/${client.clio}`, { first_name: first });
        pending.add({
          kind,
          at,
          done: () => qboRecords("Customer").some((c) => c.id === client.qbo && c.data.GivenName === first),
        });
      } else if (kind === "new bill (Clio)") {
        const number = `LAT-${i}`;
        const made = await pair.clioAdmin("POST", "/bills", {
          matter_id: client.matter,
          number,
          issued_at: "2026-03-01",
          due_at: "2026-03-31",
          line_items: [{ kind: "Service", description: "Advice", quantity: 1, price: 100 + i }],
        });
        const id = (made.data as { id: number }).id;
        await pair.clioAdmin("POST", `/bills/${id}/approve`);
        lastBill = { number, id };
        pending.add({ kind, at, done: () => qboRecords("Invoice").some((r) => r.data.DocNumber === number) });
      } else if (kind === "customer edit (QBO)") {
        const email = `bench${i}@example.test`;
        await pair.qboAdmin("PATCH", `/realms/${realm}/customer/${client.qbo}`, {
          PrimaryEmailAddr: { Address: email },
        });
        const contact = () => clioState.get("contacts", client.clio) as unknown as Row | undefined;
        pending.add({
          kind,
          at,
          done: () =>
            ((contact()?.email_addresses as Row[] | undefined) ?? []).some((e) => e.address === email),
        });
      } else if (lastBill) {
        const bill = lastBill;
        await pair.clioAdmin("POST", "/payments", {
          date: "2026-03-15",
          allocations: [{ bill_id: bill.id }],
        });
        pending.add({
          kind,
          at,
          done: () =>
            qboRecords("Invoice").some(
              (r) => r.data.DocNumber === bill.number && Number(r.data.Balance) === 0,
            ),
        });
      }
      await new Promise((r) => setTimeout(r, Number(values["gap-ms"])));
    }
    const deadline = Date.now() + (Number(values.interval) + 30) * 1000;
    while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    clearInterval(poller);
    process.stdout.write(
      `\n${total} changes, one every ${values["gap-ms"]} ms; interval ${values.interval} s\n`,
    );
    for (const [kind, ms] of latencies) {
      const sorted = [...ms].sort((a, b) => a - b);
      const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
      process.stdout.write(
        `  ${kind.padEnd(22)} n=${String(sorted.length).padStart(3)}  p50 ${s(q(0.5))}  p95 ${s(q(0.95))}  max ${s(sorted.at(-1)!)}\n`,
      );
    }
    if (pending.size > 0) process.stdout.write(`  ${pending.size} change(s) never arrived\n`);
    await idleHour(serve, counter.counts, Number(values.interval));
  } finally {
    await serve.stop();
    await pair.close();
  }
}

/**
 * An idle hour, time-scaled: the calls of a few passes with nothing changed (each followed by
 * its reconciliation, as serve runs them; after one that settles what the changes left) and of one subscription check, scaled to the passes an
 * hour holds at the interval and the hourly check, per minute.
 */
async function idleHour(serve: ServeHandle, counts: Map<string, number>, intervalSeconds: number) {
  await serve.changes.idle();
  await serve.runner.whenIdle();
  const sum = (prefix: string) =>
    [...counts.entries()].filter(([k]) => k.startsWith(prefix)).reduce((a, [, n]) => a + n, 0);
  const passes = 3;
  // The first pass after the changes reconciles the clients their targeted syncs touched
  // (deferred-reconcile.ts): a cost of the changes, not of idling, so it is not counted.
  await serve.runner.runNow();
  counts.clear();
  for (let i = 0; i < passes; i++) await serve.runner.runNow();
  const perPass = { clio: sum("clio") / passes, qbo: sum("qbo") / passes };
  counts.clear();
  await serve.clioSubscriptions()?.check();
  const check = sum("clio");
  const passesPerHour = 3600 / intervalSeconds;
  const clioPerMinute = (perPass.clio * passesPerHour + check) / 60;
  const qboPerMinute = (perPass.qbo * passesPerHour) / 60;
  process.stdout.write(
    `\nidle hour at a pass every ${intervalSeconds} s: an idle pass ${perPass.clio} Clio + ${perPass.qbo} QBO calls, a subscription check ${check} Clio\n` +
      `  Clio ${clioPerMinute.toFixed(2)} calls/min (budget 50, a third 16.7), QBO ${qboPerMinute.toFixed(2)} calls/min\n`,
  );
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(7);
