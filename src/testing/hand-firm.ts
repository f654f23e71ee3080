import type { EmulatorPair } from "./emulator-pair.ts";

/**
 * A small firm built through the Clio emulator's admin API (as a firm would in Clio's web app):
 * Jane (a person, who already exists in QBO), Acme (a company whose name QBO must clean) and a
 * contact with only a draft bill; two approved bills, a payment and a credit memo.
 */
export async function buildHandFirm(pair: EmulatorPair): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  const idOf = (r: Record<string, unknown>) => Number((r.data as { id: number }).id);
  ids.jane = idOf(
    await pair.clioAdmin("POST", "/contacts", {
      type: "Person",
      first_name: "Jane",
      last_name: "Doe",
      email_addresses: [{ address: "jane@example.test", name: "Work", default_email: true }],
      phone_numbers: [
        { number: "555-0100", name: "Work", default_number: true },
        { number: "555-0199", name: "Mobile" },
      ],
    }),
  );
  ids.acme = idOf(
    await pair.clioAdmin("POST", "/contacts", {
      type: "Company",
      name: "Acme: Holdings",
      email_addresses: [{ address: "ap@acme.test", name: "Work", default_email: true }],
    }),
  );
  ids.nobill = idOf(
    await pair.clioAdmin("POST", "/contacts", { type: "Person", first_name: "Draft", last_name: "Only" }),
  );
  const bill = async (
    client: string,
    number: string,
    lines: unknown[],
    extra: Record<string, unknown> = {},
  ) => {
    const matter = idOf(
      await pair.clioAdmin("POST", "/matters", { client_id: ids[client], description: `${client} matter` }),
    );
    return idOf(
      await pair.clioAdmin("POST", "/bills", {
        matter_id: matter,
        number,
        issued_at: "2026-03-01",
        due_at: "2026-03-31",
        line_items: lines,
        ...extra,
      }),
    );
  };
  ids.bill1 = await bill(
    "jane",
    "INV-1",
    [
      { kind: "Service", description: "Research", quantity: 2, price: 150, taxable: true },
      { kind: "Expense", description: "Filing fee", quantity: 1, price: 50 },
    ],
    { tax_rate: 10, discount: { rate: 5, type: "percentage" } },
  );
  ids.bill2 = await bill("acme", "INV-2", [
    { kind: "Service", description: "Advice", quantity: 1.5, price: 200 },
  ]);
  ids.bill3 = await bill("acme", "INV-4", [
    { kind: "Service", description: "Review", quantity: 1, price: 80 },
  ]);
  ids.draft = await bill("nobill", "INV-3", [
    { kind: "Service", description: "Draft", quantity: 1, price: 10 },
  ]);
  for (const b of ["bill1", "bill2", "bill3"]) await pair.clioAdmin("POST", `/bills/${ids[b]}/approve`);
  await pair.clioAdmin("POST", "/payments", { bill_id: ids.bill1, amount: 100, date: "2026-03-10" });
  await pair.clioAdmin("POST", "/credit_memos", {
    bill_id: ids.bill2,
    amount: 20,
    date: "2026-03-12",
    description: "Courtesy",
  });
  await pair.qbo.emulator.loadSeed({
    customers: [
      {
        DisplayName: "Doe, Jane",
        GivenName: "Jane",
        FamilyName: "Doe",
        PrimaryEmailAddr: { Address: "JANE@example.test" },
      },
    ],
    vendors: [],
    invoices: [],
  });
  return ids;
}
