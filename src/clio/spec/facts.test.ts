import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { deriveClioSpecFacts, operationKey } from "./derive.ts";

const here = (path: string) => new URL(path, import.meta.url);
// That facts.json is exactly the derivation of Clio's OpenAPI document is checked by
// `npm run spec:clio -- --check` (the document is not in the repository).

describe("Clio spec facts", () => {
  it("facts.json holds the operations and resources the sync relies on", () => {
    const facts = JSON.parse(readFileSync(here("./facts.json"), "utf8")) as {
      operations: Record<string, unknown>;
      resources: Record<string, unknown>;
    };
    for (const op of ["GET /bills", "GET /bank_transactions", "GET /users/who_am_i", "PATCH /contacts/{}"])
      assert.ok(op in facts.operations, op);
    for (const resource of ["Bill", "BankTransaction", "Contact", "User"])
      assert.ok(resource in facts.resources, resource);
  });

  it("normalises paths: .json dropped, path parameters written {}", () => {
    assert.equal(
      operationKey("get", "/contacts/{contact_id}/email_addresses.json"),
      "GET /contacts/{}/email_addresses",
    );
    assert.equal(operationKey("patch", "/contacts/{id}"), "PATCH /contacts/{}");
  });

  it("takes fields from X_base, associations (with their targets) from X, and the resource from the response", () => {
    const spec = {
      info: { title: "t", version: "v4" },
      paths: {
        "/things.json": {
          get: {
            parameters: [
              { name: "X-API-VERSION", in: "header" },
              { name: "ids[]", in: "query", schema: { type: "integer" } },
              { name: "type", in: "query", schema: { type: "string", enum: ["a", "b"] } },
            ],
            responses: {
              "200": {
                content: { "application/json": { schema: { $ref: "#/components/schemas/Thing_List" } } },
              },
            },
          },
        },
        "/things/{id}.json": {
          delete: { parameters: [{ name: "id", in: "path" }], responses: { "204": {} } },
        },
      },
      components: {
        schemas: {
          Thing_base: { properties: { id: {}, name: {} } },
          Thing: {
            allOf: [
              { $ref: "#/components/schemas/Thing_base" },
              {
                properties: {
                  owner: { $ref: "#/components/schemas/Owner_base" },
                  parts: { type: "array", items: { $ref: "#/components/schemas/Part_base" } },
                },
              },
            ],
          },
          Thing_List: {
            properties: { data: { type: "array", items: { $ref: "#/components/schemas/Thing" } } },
          },
          Owner_base: { properties: { id: {}, email: {} } },
          Part_base: { properties: { id: {} } },
        },
      },
    };
    const facts = deriveClioSpecFacts(spec);
    assert.deepEqual(facts.operations["GET /things"], {
      query: ["ids[]", "offset", "type"],
      resource: "Thing",
      list: true,
      enums: { type: ["a", "b"] },
    });
    assert.deepEqual(facts.operations["DELETE /things/{}"], { query: [] });
    assert.deepEqual(facts.resources.Thing, {
      fields: ["id", "name"],
      associations: { owner: "Owner", parts: "Part" },
    });
    assert.deepEqual(facts.resources.Owner, { fields: ["email", "id"], associations: {} });
    assert.ok(facts.operations["PUT /webhooks/{}/activate"], "documented outside the spec (§5.9)");
  });
});
