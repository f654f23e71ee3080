import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../core/config.ts";
import { clioSite, qboSite } from "./providers.ts";
import { NO_SITES, parseRecordSites, recordLinks, recordSitesOf } from "./record-links.ts";

const sitesFor = (flags: Record<string, unknown>) => {
  const config = loadConfig({ flags });
  return recordSitesOf(clioSite(config), qboSite(config));
};

describe("links to the records, where the data lives", () => {
  it("Clio links go to the firm's region; QuickBooks links to production or the sandbox", () => {
    const eu = sitesFor({ clioRegion: "eu", qboEnvironment: "sandbox" });
    assert.deepEqual(recordLinks({ entity: "contact", clioId: "1942", qboId: "39" }, eu), {
      clio: "https://eu.app.clio.com/nc/#/contacts/1942",
      qbo: "https://app.sandbox.qbo.intuit.com/app/customerdetail?nameId=39",
    });
    const us = sitesFor({ clioBaseUrl: "https://app.clio.com" });
    assert.deepEqual(recordLinks({ entity: "bill", clioId: "2255", qboId: "68" }, us), {
      clio: "https://app.clio.com/nc/#/bills/2255",
      qbo: "https://app.qbo.intuit.com/app/invoice?txnId=68",
    });
    for (const [region, host] of [
      ["ca", "https://ca.app.clio.com"],
      ["au", "https://au.app.clio.com"],
    ] as const)
      assert.equal(
        recordLinks({ entity: "bill", clioId: "1" }, sitesFor({ clioRegion: region })).clio,
        `${host}/nc/#/bills/1`,
      );
  });

  it("each QuickBooks record kind opens its own page; Clio pages exist for clients and bills only", () => {
    const sites = { clioWeb: "https://app.clio.com", qboWeb: "https://app.qbo.intuit.com" };
    const qbo = (entity: Parameters<typeof recordLinks>[0]["entity"]) =>
      recordLinks({ entity, clioId: "tx:5", qboId: "7" }, sites);
    assert.deepEqual(qbo("payment"), { qbo: "https://app.qbo.intuit.com/app/recvpayment?txnId=7" });
    assert.deepEqual(qbo("credit_memo"), { qbo: "https://app.qbo.intuit.com/app/creditmemo?txnId=7" });
    assert.deepEqual(qbo("journal_entry"), { qbo: "https://app.qbo.intuit.com/app/journal?txnId=7" });
    assert.deepEqual(qbo("run"), {});
  });

  it("emulators serve no pages: nothing to link to; neither does a record without its id", () => {
    const emulated = sitesFor({ clioBaseUrl: "http://127.0.0.1:4001", qboBaseUrl: "http://127.0.0.1:4002" });
    assert.deepEqual(emulated, NO_SITES);
    assert.deepEqual(recordLinks({ entity: "contact", clioId: "1", qboId: "2" }, emulated), {});
    const real = sitesFor({});
    assert.deepEqual(recordLinks({ entity: "bill", clioId: "9" }, real), {
      clio: "https://app.clio.com/nc/#/bills/9",
    });
  });

  it("the stored record round-trips; a data dir without one links nowhere", () => {
    const sites = sitesFor({ clioRegion: "au" });
    assert.deepEqual(parseRecordSites(JSON.stringify(sites)), sites);
    assert.deepEqual(parseRecordSites(undefined), NO_SITES);
  });
});
