import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { emptyContactFields } from "../mapping/contact-fields.ts";
import type { AuditEntry, Link, OutboxOperation, Store } from "./port.ts";

const link = (clioId: string, qboId: string, extra: Partial<Link> = {}): Link => ({
  entity: "customer",
  clioId,
  qboId,
  syncToken: "0",
  state: "linked",
  contentHash: "h1",
  qboEditedAt: null,
  baseline: null,
  updatedAt: 1,
  ...extra,
});

const op = (requestId: string, seq: number, extra: Partial<OutboxOperation> = {}): OutboxOperation => ({
  requestId,
  batchId: null,
  entity: "invoice",
  clioId: requestId,
  action: "create",
  payload: {
    qboEntity: "Invoice",
    operation: "create",
    body: { DocNumber: requestId },
    contentHash: `h-${requestId}`,
    issue: { key: `bill:${requestId}`, entity: "bill", clioId: requestId },
    sources: [{ kind: "bill", id: requestId }],
  },
  seq,
  state: "pending",
  createdAt: 1,
  ...extra,
});

/** The behaviour every Store implementation must have; each driver's test calls this. */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    it("upserts links and finds them from either side", async () => {
      const store = await open();
      await store.commit({ links: [link("1", "58"), link("2", "59")] }, 10);
      await store.commit({ links: [link("1", "58", { syncToken: "3", qboEditedAt: 5 })] }, 11);
      assert.equal((await store.getLink("customer", "1"))?.syncToken, "3");
      assert.equal((await store.getLink("customer", "1"))?.qboEditedAt, 5);
      assert.equal((await store.getLinkByQboId("customer", "59"))?.clioId, "2");
      assert.equal(await store.getLink("invoice", "1"), undefined, "entities are separate");
      assert.equal((await store.listLinks("customer")).length, 2);
      await store.commit({ deleteLinks: [{ entity: "customer", clioId: "2" }] }, 12);
      assert.equal(await store.getLink("customer", "2"), undefined);
      await store.close();
    });

    it("keeps a link's state, hash, QBO edit time and typed baseline as written", async () => {
      const store = await open();
      const fields = { ...emptyContactFields(), email: "x@y.test" };
      const written: Link[] = [
        link("1", "58", { baseline: { kind: "contact", fields } }),
        link("2", "900", { entity: "invoice", baseline: { kind: "invoice", fingerprint: "f1" } }),
        link("3", "901", { entity: "invoice", state: "voided", contentHash: null }),
        link("4", "70", {
          entity: "credit_memo",
          qboEditedAt: 7,
          baseline: {
            kind: "credit_memo",
            applications: [{ invoiceId: "900", amount: 12.5 }],
            date: "2026-01-02",
          },
        }),
        link("5", "59", { state: "inactive" }),
        link("6", "950", { entity: "payment", state: "broken" }),
      ];
      await store.commit({ links: written }, 10);
      for (const l of written) assert.deepEqual(await store.getLink(l.entity, l.clioId), l);
      await store.close();
    });

    it("keeps pending operations in plan order until they are done", async () => {
      const store = await open();
      await store.commit({ outboxAdd: [op("b", 2), op("a", 1), op("c", 2, { batchId: "B1" })] }, 1);
      assert.deepEqual(
        (await store.pendingOperations()).map((o) => o.requestId),
        ["a", "b", "c"],
      );
      assert.equal((await store.getOperation("c"))?.batchId, "B1");
      // Stored again without a batch (planned once more), it stays in the batch it was sent in.
      await store.commit({ outboxAdd: [op("c", 2)] }, 2);
      assert.equal((await store.getOperation("c"))?.batchId, "B1");
      await store.commit({ outboxDone: ["a"], outboxFailed: ["b"] }, 2);
      assert.deepEqual(
        (await store.pendingOperations()).map((o) => o.requestId),
        ["c"],
      );
      assert.deepEqual((await store.getOperation("a"))?.payload, op("a", 1).payload);
      await store.close();
    });

    it("commits a unit atomically: a failing unit leaves nothing behind", async () => {
      const store = await open();
      const bad = { key: "k", code: "x", message: "m", entity: "run" } as unknown as Record<string, unknown>;
      delete bad.message; // NOT NULL violation inside the unit
      await assert.rejects(
        store.commit({ links: [link("9", "90")], issues: [bad as never], cursors: { s: "v" } }, 1),
      );
      assert.equal(await store.getLink("customer", "9"), undefined);
      assert.equal(await store.getCursor("s"), undefined);
      await store.close();
    });

    it("raises an issue once per key, counts attempts, resolves and re-opens it", async () => {
      const store = await open();
      const issue = {
        key: "invoice:1",
        code: "qbo_duplicate_doc_number",
        message: "dup",
        entity: "invoice" as const,
      };
      await store.commit({ issues: [issue] }, 100);
      await store.commit({ issues: [{ ...issue, message: "dup again", providerCode: "6140" }] }, 200);
      let [open1] = await store.listIssues({ state: "open" });
      assert.equal(open1?.attempts, 2);
      assert.equal(open1?.firstSeen, 100);
      assert.equal(open1?.lastSeen, 200);
      assert.equal(open1?.providerCode, "6140");
      assert.equal(await store.requestRetry({ code: "qbo_duplicate_doc_number" }), 1);
      assert.equal((await store.getIssue(open1!.id))?.retryRequested, true);
      await store.commit({ resolveIssues: ["invoice:1"] }, 300);
      assert.equal((await store.listIssues({ state: "open" })).length, 0);
      await store.commit({ issues: [issue] }, 400);
      [open1] = await store.listIssues({ state: "open" });
      assert.equal(open1?.attempts, 1);
      assert.equal(open1?.firstSeen, 400);
      await store.close();
    });

    it("keeps the key a dependent item waits for, and forgets it when the item is raised without one", async () => {
      const store = await open();
      const bill = {
        key: "bill:7",
        code: "sync_customer_not_synced",
        message: "waits",
        entity: "bill" as const,
      };
      await store.commit({ issues: [{ ...bill, blockedBy: "contact:3" }] }, 100);
      assert.equal((await store.listIssues({ key: "bill:7" }))[0]?.blockedBy, "contact:3");
      await store.commit({ issues: [{ ...bill, code: "sync_mapping_failed" }] }, 200);
      assert.equal((await store.listIssues({ key: "bill:7" }))[0]?.blockedBy, undefined);
      await store.close();
    });

    it("appends audit entries in order, with before and after", async () => {
      const store = await open();
      const entry = {
        at: 1,
        runId: "r1",
        requestId: "q1",
        entity: "customer" as const,
        action: "create" as const,
        clioId: "1",
        qboId: "58",
        after: { DisplayName: "Jane Doe (Clio 1)" },
        outcome: "ok" as const,
      };
      await store.commit(
        { audit: [entry, { ...entry, requestId: "q2", action: "update", before: { a: 1 } }] },
        1,
      );
      const audit = await store.listAudit();
      assert.deepEqual(
        audit.map((a) => [a.seq, a.requestId, a.action]),
        [
          [1, "q1", "create"],
          [2, "q2", "update"],
        ],
      );
      assert.deepEqual(audit[1]?.before, { a: 1 });
      assert.equal((await store.listAudit({ afterSeq: 1 })).length, 1);
      await store.close();
    });

    it("filters the audit log by record, time and sequence, newest first when asked", async () => {
      const store = await open();
      const entry = (
        at: number,
        entity: AuditEntry["entity"],
        clioId: string,
        qboId?: string,
      ): AuditEntry => ({
        at,
        runId: "r",
        requestId: `q${at}`,
        entity,
        action: "create",
        clioId,
        ...(qboId ? { qboId } : {}),
        outcome: "ok",
      });
      await store.commit(
        {
          audit: [
            entry(100, "customer", "7", "58"),
            entry(200, "invoice", "70", "7"),
            entry(300, "journal_entry", "tx:7"),
            entry(400, "journal_entry", "transfer:6-7"),
            entry(500, "journal_entry", "transfer:77-8"),
            entry(600, "customer", "8", "59"),
          ],
        },
        1,
      );
      const ats = (entries: AuditEntry[]) => entries.map((e) => e.at);
      assert.deepEqual(
        ats(await store.listAudit({ recordId: "7" })),
        [100, 200, 300, 400],
        "Clio, QBO, trust ids",
      );
      assert.deepEqual(ats(await store.listAudit({ recordId: "58" })), [100]);
      assert.deepEqual(ats(await store.listAudit({ recordId: "%" })), [], "no wildcard");
      assert.deepEqual(ats(await store.listAudit({ fromAt: 200, toAt: 500 })), [200, 300, 400]);
      assert.deepEqual(ats(await store.listAudit({ newestFirst: true, limit: 2 })), [600, 500]);
      const [, second] = await store.listAudit({ newestFirst: true, limit: 2 });
      assert.deepEqual(
        ats(await store.listAudit({ newestFirst: true, beforeSeq: second!.seq!, limit: 2 })),
        [400, 300],
        "the next page",
      );
      await store.close();
    });

    it("applies a unit's rows in order, even when it names one key twice", async () => {
      const store = await open();
      const rec = (id: string, etag: string, forceDirty = false) => ({
        kind: "contact" as const,
        id,
        parentId: null,
        etag,
        data: { id: Number(id), etag } as never,
        forceDirty,
      });
      await store.commit({ mirror: [rec("1", "a"), rec("2", "a")] }, 1);
      await store.commit(
        {
          mirrorClean: [
            { kind: "contact", id: "1" },
            { kind: "contact", id: "2" },
          ],
        },
        2,
      );
      await store.commit(
        {
          links: [link("1", "58"), link("1", "59", { syncToken: "7" })],
          issues: [
            { key: "contact:1", code: "a", message: "m", entity: "contact" },
            { key: "contact:1", code: "b", message: "m", entity: "contact" },
          ],
          // Record 1: unchanged, then forced dirty. Record 2: unchanged twice, stays clean.
          mirror: [rec("1", "a"), rec("2", "a"), rec("1", "a", true), rec("2", "a")],
          kv: { a: "1", b: "2" },
          kvDelete: ["a"],
        },
        3,
      );
      assert.equal((await store.getLink("customer", "1"))?.qboId, "59", "the later row wins");
      const [issue] = await store.listIssues({ key: "contact:1" });
      assert.equal(issue?.code, "b");
      assert.equal(issue?.attempts, 2, "the second raise saw the first");
      assert.equal((await store.getMirror("contact", "1"))?.dirty, true);
      assert.equal((await store.getMirror("contact", "2"))?.dirty, false);
      assert.equal(await store.getKv("a"), undefined, "deletions come after the settings");
      assert.equal(await store.getKv("b"), "2");
      await store.close();
    });

    it("mirrors Clio records: dirty until planned, dirty again only when the etag changes", async () => {
      const store = await open();
      const rec = (id: string, etag: string, parentId: string | null = null) => ({
        kind: "line_item" as const,
        id,
        parentId,
        etag,
        data: { id: Number(id), etag },
      });
      await store.commit({ mirror: [rec("10", "a", "1"), rec("9", "a", "1"), rec("11", "a", "2")] }, 1);
      assert.deepEqual(
        (await store.listMirror("line_item", { dirtyOnly: true })).map((m) => m.id),
        ["9", "10", "11"],
        "numeric id order",
      );
      await store.commit(
        {
          mirrorClean: [
            { kind: "line_item", id: "9" },
            { kind: "line_item", id: "10" },
          ],
        },
        2,
      );
      await store.commit({ mirror: [rec("9", "a", "1"), rec("10", "b", "1")] }, 3);
      assert.deepEqual(
        (await store.listMirror("line_item", { dirtyOnly: true })).map((m) => m.id),
        ["10", "11"],
      );
      assert.equal(await store.countMirror("line_item"), 3);
      assert.deepEqual(
        (await store.listMirrorByParent("line_item", "1")).map((m) => m.id),
        ["9", "10"],
      );
      assert.deepEqual(
        (await store.listMirror("line_item", { afterId: "9", limit: 1 })).map((m) => m.id),
        ["10"],
      );
      assert.equal((await store.getMirror("line_item", "10"))?.etag, "b");
      await store.commit({ mirror: [{ ...rec("9", "a", "1"), forceDirty: true }] }, 4);
      assert.equal((await store.getMirror("line_item", "9"))?.dirty, true);
      await store.close();
    });

    it("makes a scratch copy that shares nothing with the original, and is gone once closed", async () => {
      const store = await open();
      await store.commit({ links: [link("1", "10")], kv: { k: "original" } }, 1);
      const copy = await store.scratchCopy();
      assert.equal((await copy.getLink("customer", "1"))?.qboId, "10", "the copy starts with everything");
      await copy.commit({ links: [link("2", "20")], kv: { k: "copy" } }, 2);
      await store.commit({ links: [link("3", "30")] }, 3);
      assert.equal(await store.getLink("customer", "2"), undefined, "the copy's writes stay in the copy");
      assert.equal(await store.getKv("k"), "original");
      assert.equal(await copy.getLink("customer", "3"), undefined, "later writes to the original stay there");
      await copy.close();
      await store.close();
    });

    it("finds the allocations of a bill, and follows an allocation moved to another bill", async () => {
      const store = await open();
      const allocation = (id: string, billId: string) => ({
        kind: "allocation" as const,
        id,
        parentId: "Payment:7",
        billId,
        etag: `e${billId}`,
        data: { id: Number(id), bill: { id: Number(billId) } },
      });
      await store.commit({ mirror: [allocation("12", "1"), allocation("3", "1"), allocation("4", "2")] }, 1);
      const ofBill = async (bill: string) =>
        (await store.listMirrorByBill("allocation", bill)).map((m) => [m.id, m.billId]);
      assert.deepEqual(await ofBill("1"), [
        ["3", "1"],
        ["12", "1"],
      ]);
      await store.commit({ mirror: [allocation("12", "2")] }, 2);
      assert.deepEqual(await ofBill("1"), [["3", "1"]]);
      assert.deepEqual(await ofBill("2"), [
        ["4", "2"],
        ["12", "2"],
      ]);
      assert.deepEqual(await store.listMirrorByBill("line_item", "1"), [], "per kind");
      await store.close();
    });

    it("keeps cursors, settings and match proposals", async () => {
      const store = await open();
      await store.commit({ cursors: { "clio:bills": "2026-01-01T00:00:00Z" }, kv: { realm: "9130" } }, 1);
      await store.commit({ cursors: { "clio:bills": "2026-01-02T00:00:00Z" } }, 2);
      assert.equal(await store.getCursor("clio:bills"), "2026-01-02T00:00:00Z");
      assert.equal(await store.getKv("realm"), "9130");
      await store.commit({ kv: { other: "x" }, kvDelete: ["realm"] }, 3);
      assert.equal(await store.getKv("realm"), undefined);
      assert.equal(await store.getKv("other"), "x");
      await store.proposeMatch({
        clioId: "7",
        qboId: "70",
        reason: "same name, different email",
        state: "proposed",
        createdAt: 1,
      });
      assert.equal((await store.listMatches("proposed")).length, 1);
      assert.equal((await store.decideMatch("7", "accepted", 2))?.state, "accepted");
      assert.equal((await store.decideMatch("7", "rejected", 3))?.state, "accepted", "a decision is final");
      await store.close();
    });

    it("keeps dashboard passwords and sessions; a session expires, and a new password ends them all", async () => {
      const store = await open();
      assert.equal(await store.getWebPassword("admin"), undefined);
      await store.setWebPassword("admin", "hash-1", 1);
      assert.equal(await store.getWebPassword("admin"), "hash-1");
      const session = { idHash: "s1", user: "admin", csrfToken: "t1", createdAt: 10, expiresAt: 100 };
      await store.createWebSession(session);
      await store.createWebSession({ ...session, idHash: "s2", csrfToken: "t2" });
      assert.deepEqual(await store.getWebSession("s1", 50), session);
      assert.equal(await store.getWebSession("s1", 100), undefined, "expired at expiresAt");
      await store.deleteWebSession("s1");
      assert.equal(await store.getWebSession("s1", 50), undefined, "logged out");
      assert.equal((await store.getWebSession("s2", 50))?.csrfToken, "t2", "the other session lives on");
      await store.setWebPassword("admin", "hash-2", 60);
      assert.equal(await store.getWebPassword("admin"), "hash-2");
      assert.equal(await store.getWebSession("s2", 61), undefined, "a new password ends every session");
      await store.close();
    });

    it("takes a webhook delivery once until its fingerprint expires", async () => {
      const store = await open();
      assert.equal(await store.claimWebhookDelivery("clio:abc", 10, 100), true);
      assert.equal(await store.claimWebhookDelivery("clio:abc", 20, 110), false, "a replay");
      assert.equal(await store.claimWebhookDelivery("qbo:abc", 20, 110), true, "another fingerprint");
      assert.equal(await store.claimWebhookDelivery("clio:abc", 100, 200), true, "expired, so new again");
      await store.close();
    });
  });
}
