import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { oauthTokenError } from "./oauth-token-error.ts";

describe("token endpoint refusals", () => {
  it("map to one code each, keeping the provider's error as its code", () => {
    const cases: Array<[Parameters<typeof oauthTokenError>, string]> = [
      [["qbo", "authorization_code", 401, { error: "invalid_client" }], "oauth_client_rejected"],
      [["clio", "authorization_code", 401, { error: "invalid_client" }], "oauth_client_rejected"],
      [
        [
          "qbo",
          "authorization_code",
          400,
          { error: "invalid_grant", error_description: "redirect_uri does not match" },
        ],
        "oauth_redirect_mismatch",
      ],
      [["qbo", "refresh_token", 400, { error: "invalid_grant" }], "qbo_oauth_invalid_grant"],
      [["clio", "refresh_token", 400, { error: "invalid_grant" }], "clio_oauth_invalid_grant"],
      [["qbo", "refresh_token", 503, {}], "qbo_server_error"],
      [["clio", "authorization_code", 502, {}], "clio_server_error"],
    ];
    for (const [args, code] of cases) {
      const error = oauthTokenError(...args);
      assert.equal(error.code, code, JSON.stringify(args));
      assert.equal(error.providerCode, (args[3].error as string | undefined) ?? String(args[2]));
    }
    assert.match(
      oauthTokenError("clio", "x", 401, { error: "invalid_client" }).message,
      /another Clio region/,
    );
  });
});
