import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { faultToError, parseFault } from "./errors.ts";

describe("QBO fault mapping", () => {
  it("reads the data-service, gateway and XML shapes", () => {
    const data = parseFault({
      Fault: {
        Error: [{ Message: "Stale Object Error", Detail: "d", code: "5010", element: "" }],
        type: "ValidationFault",
      },
    });
    assert.equal(data?.errors[0]?.code, "5010");
    const gw = parseFault({
      fault: { error: [{ message: "m", detail: "Token expired", code: "3200" }], type: "AUTHENTICATION" },
    });
    assert.equal(gw?.errors[0]?.code, "3200");
    const xml = parseFault(
      '<IntuitResponse><Fault type="SERVICE"><Error code="3001"><Message>m</Message><Detail>d</Detail></Error></Fault></IntuitResponse>',
    );
    assert.equal(xml?.errors[0]?.code, "3001");
  });

  it("maps codes to our codes and actions", () => {
    const cases: Array<[string, number, string, string, string?]> = [
      ["3200", 401, "qbo_auth_invalid", "refresh_then_retry"],
      ["3001", 429, "qbo_rate_limited", "retry"],
      ["5010", 400, "qbo_stale_object", "retry"],
      ["6240", 400, "qbo_duplicate_name", "issue"],
      ["6540", 400, "qbo_deposited_payment", "issue"],
      ["6210", 400, "qbo_closed_period", "issue"],
      ["6140", 400, "qbo_duplicate_doc_number", "issue"],
      ["2050", 400, "qbo_validation", "issue"],
      ["4000", 400, "qbo_query_invalid", "stop"],
      ["1040", 400, "qbo_batch_too_large", "stop"],
      ["3100", 403, "qbo_forbidden", "stop"],
      ["10000", 500, "qbo_server_error", "retry"],
      ["610", 400, "qbo_invalid_reference", "issue", "Something you're trying to use has been made inactive"],
      ["610", 400, "qbo_not_found", "issue", "Another user has deleted this transaction."],
    ];
    for (const [code, status, ours, action, detail] of cases) {
      const err = faultToError(
        { errors: [{ code, message: "m", detail: detail ?? "d", element: "DocNumber" }] },
        status,
        "tid-1",
      );
      assert.equal(err.code, ours, code);
      assert.equal(err.action, action, code);
      assert.equal(err.providerCode, code);
      assert.equal(err.requestId, "tid-1");
      assert.equal(err.details.element, "DocNumber");
    }
  });
});
