import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dashboardApp } from "../../testing/dashboard-app.ts";

describe("the Sync Status page's filters", () => {
  it("narrows the items to a client by name, ignoring case, beside the code and kind filters", async () => {
    const d = await dashboardApp();
    const { cookie } = await d.session();
    await d.store.commit(
      {
        issues: [
          {
            key: "contact:1",
            code: "qbo_duplicate_name",
            message: "m1",
            entity: "contact",
            clioName: "Ada Lovelace",
          },
          {
            key: "contact:2",
            code: "qbo_duplicate_name",
            message: "m2",
            entity: "contact",
            clioName: "Grace Hopper",
          },
        ],
      },
      1,
    );
    const page = async (query: string) => (await d.request(`/status${query}`, { cookie })).text();
    const ada = await page("?client=ada");
    assert.match(ada, /Ada Lovelace/);
    assert.doesNotMatch(ada, /Grace Hopper/);
    assert.match(ada, /value="ada"/, "the filter keeps what was typed");
    const both = await page("");
    assert.match(both, /Ada Lovelace/);
    assert.match(both, /Grace Hopper/);
    assert.doesNotMatch(await page("?client=nobody"), /Lovelace|Hopper/);
  });
});
