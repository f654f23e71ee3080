/**
 * QBO faults. Handlers throw `QboFault`; the HTTP layer (and batch, per item) turns it into the
 * data-service envelope `{Fault:{Error:[…],type},time}` or, for auth/throttle, the gateway shape.
 * Codes and messages follow reference/qbo-api.md §9.
 */
export interface QboErrorItem {
  Message: string;
  Detail: string;
  code: string;
  element?: string;
}

export type FaultType = "ValidationFault" | "SystemFault" | "AuthenticationFault" | "AuthorizatonFault";

export class QboFault extends Error {
  readonly status: number;
  readonly errors: QboErrorItem[];
  readonly type: FaultType;

  constructor(errors: QboErrorItem[], status = 400, type: FaultType = "ValidationFault") {
    super(errors[0]?.Message ?? "Fault");
    this.status = status;
    this.errors = errors;
    this.type = type;
  }

  toFault(): { Error: QboErrorItem[]; type: FaultType } {
    return { Error: this.errors.map((e) => ({ ...e, element: e.element ?? "" })), type: this.type };
  }
}

export function fault(code: string, message: string, detail: string, element = "", status = 400): QboFault {
  return new QboFault([{ Message: message, Detail: detail, code, element }], status);
}

export const faults = {
  notFound: (detail = "Object Not Found : Another user has deleted this transaction.", element = "") =>
    fault("610", "Object Not Found", detail, element),
  inactiveRef: (element: string) =>
    fault(
      "610",
      "Object Not Found",
      "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.",
      element,
    ),
  required: (field: string) =>
    fault(
      "2020",
      "Required param missing, need to supply the required value for the API",
      `Required parameter ${field} is missing in the request`,
      field,
    ),
  tooLong: (field: string, max: number, length: number) =>
    fault(
      "2050",
      "String length is either shorter or longer than supported by specification",
      `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${length}`,
      field,
    ),
  invalidEnum: (field: string, value: string) =>
    fault("2170", "Invalid Enumeration", `Invalid Enum ${value} : ${field}`, field),
  invalidRef: (field: string, value: string) =>
    fault("2500", "Invalid Reference Id", `Invalid Reference Id : ${field} ${value} not found`, field),
  stale: () =>
    fault(
      "5010",
      "Stale Object Error",
      "Stale Object Error : You and API API were working on this at the same time. API API finished before you did, so your work was not saved.",
    ),
  business: (detail: string, element = "") =>
    fault(
      "6000",
      "A business validation error has occurred while processing your request",
      `Business Validation Error: ${detail}`,
      element,
    ),
  invalidName: (field: string) =>
    fault(
      "6000",
      "A business validation error has occurred while processing your request",
      `Business Validation Error: ${field} can't contain a colon (:), tab or newline character.`,
      field,
    ),
  amountMismatch: (supplied: number, expected: number) =>
    fault(
      "6070",
      "Amount is not equal to UnitPrice * Qty",
      `Amount is not equal to UnitPrice * Qty. Supplied value:${supplied}, expected:${expected}`,
      "Line.Amount",
    ),
  invalidTaxCode: (value: string) =>
    fault(
      "6100",
      "Invalid line TaxCode",
      `Invalid TaxCode ${value}: US companies use TAX or NON.`,
      "TaxCodeRef",
    ),
  duplicateDocNumber: (doc: string, type: string, id: string) =>
    fault(
      "6140",
      "Duplicate Document Number Error",
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${doc} is assigned to TxnType=${type} with TxnId=${id}`,
      "DocNumber",
    ),
  closedPeriod: (closeDate: string) =>
    fault(
      "6210",
      "Account Period Closed, Cannot Update Through Services API",
      `The account period has closed and the books are closed through ${closeDate}. You can't add or change transactions dated on or before that date.`,
      "TxnDate",
    ),
  duplicateName: (id: string) =>
    fault(
      "6240",
      "Duplicate Name Exists Error",
      `The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name. Id=${id}`,
    ),
  deposited: () =>
    fault(
      "6540",
      "Deposited Transaction cannot be changed",
      "This transaction has been deposited. If you want to change or delete it, you must edit the deposit it appears on and remove it first.",
    ),
  unsupported: (detail: string) => fault("500", "Unsupported Operation", detail),
  queryParse: (detail: string) => fault("4000", "Error parsing query", `QueryParserError: ${detail}`),
  queryInvalid: (detail: string) => fault("4001", "Invalid query", `QueryValidationError: ${detail}`),
  batchTooLarge: (size: number, max: number) =>
    fault("1040", "Batch size exceeds allowed limit", `Batch size ${size} exceeds the maximum of ${max}`),
  cdcTooOld: () =>
    fault(
      "4001",
      "Invalid query",
      "QueryValidationError: changedSince must be within the last 30 days",
      "changedSince",
    ),
};

export function faultEnvelope(f: QboFault, time: string): Record<string, unknown> {
  return { Fault: f.toFault(), time };
}

/** The gateway (lowercase) fault shape seen for 3200/3100/3001. */
export function gatewayFault(
  code: string,
  shortName: string,
  status: number,
  detail: string,
  type: string,
  timeMs: number,
): Record<string, unknown> {
  return {
    warnings: null,
    intuitObject: null,
    fault: {
      error: [
        {
          message: `message=${shortName}; errorCode=${code.padStart(6, "0")}; statusCode=${status}`,
          detail,
          code,
          element: null,
        },
      ],
      type,
    },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: timeMs,
    status: null,
    cdcresponse: [],
  };
}

/** The XML throttle body the real service has sent even when JSON was asked for. */
export function xmlThrottleBody(time: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${time}"><Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.  Try again later</Detail></Error></Fault></IntuitResponse>`;
}
