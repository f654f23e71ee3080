import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { deriveClioSpecFacts, operationKey, renderClioSpecFacts } from "./derive.ts";

const here = (path: string) => new URL(path, import.meta.url);
/** Clio's OpenAPI document lives beside the repository (../shared/reference), in CI too. */
const SPEC = here("../../../../shared/reference/clio-openapi.json");

describe("Clio spec facts", () => {
  it("facts.json is exactly what the derivation makes of Clio's OpenAPI document (no drift)", () => {
    const derived = renderClioSpecFacts(deriveClioSpecFacts(JSON.parse(readFileSync(SPEC, "utf8"))));
    const committed = readFileSync(here("./facts.json"), "utf8");
    assert.ok(
      committed === derived,
      "src/clio/spec/facts.json differs from the spec: run `npm run spec:clio` and commit the result",
    );
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
