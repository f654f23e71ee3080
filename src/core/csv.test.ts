import assert from "node:assert/strict";
import { it } from "node:test";
import { csvText } from "./csv.ts";

it("quotes what needs quoting and defuses spreadsheet formulas, but keeps negative amounts numbers", () => {
  assert.equal(
    csvText([
      ["a,b", 'say "hi"', "two\nlines", undefined, null, 3],
      ['=HYPERLINK("x")', "+1 call", "-10.00", "-x", "@sum", "plain"],
    ]),
    '"a,b","say ""hi""","two\nlines",,,3\n"\'=HYPERLINK(""x"")",\'+1 call,-10.00,\'-x,\'@sum,plain\n',
  );
});
