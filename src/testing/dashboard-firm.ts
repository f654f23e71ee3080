import type { EmulatorPair } from "./emulator-pair.ts";

type Obj = Record<string, unknown>;

/**
 * Two clients for the dashboard's tests, made through the emulators' admin APIs: Carol Near, whom
 * a QuickBooks customer of the same name but another email makes a near match (match review), and
 * Dan Broken, an ordinary client whose invoice the test deletes in QuickBooks (Sync Status).
 */
export async function buildDashboardFirm(
  pair: EmulatorPair,
): Promise<{ carol: string; dan: string; carolQboId: string }> {
  const idOf = (r: Obj) => String((r.data as { id: number }).id);
  const client = async (first: string, last: string, email: string, billNumber: string) => {
    const id = idOf(
      await pair.clioAdmin("POST", "/contacts", {
        type: "Person",
        first_name: first,
        last_name: last,
        email_addresses: [{ address: email, name: "Work", default_email: true }],
      }),
    );
    const matter = idOf(
      await pair.clioAdmin("POST", "/matters", { client_id: Number(id), description: "Advice" }),
    );
    const bill = idOf(
      await pair.clioAdmin("POST", "/bills", {
        matter_id: Number(matter),
        number: billNumber,
        issued_at: "2026-03-01",
        due_at: "2026-03-31",
        line_items: [{ kind: "Service", description: "Advice", quantity: 1, price: 120 }],
      }),
    );
    await pair.clioAdmin("POST", `/bills/${bill}/approve`);
    return id;
  };
  const carol = await client("Carol", "Near", "carol@example.test", "C-1");
  const dan = await client("Dan", "Broken", "dan@example.test", "D-1");
  await pair.qbo.emulator.loadSeed({
    customers: [
      {
        DisplayName: "Carol Near",
        GivenName: "Carol",
        FamilyName: "Near",
        PrimaryEmailAddr: { Address: "carol.near@home.test" },
      },
    ],
    vendors: [],
    invoices: [],
  });
  const realm = pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!;
  const carolQboId = Object.values(realm.records.Customer ?? {}).find(
    (r) => r.data.DisplayName === "Carol Near",
  )!.id;
  return { carol, dan, carolQboId: String(carolQboId) };
}

/** The QuickBooks invoice with this number, as the emulator holds it now (undefined: none). */
export function qboInvoice(pair: EmulatorPair, docNumber: string): Obj | undefined {
  const realm = pair.qbo.emulator.state.realms[pair.qbo.defaultRealmId]!;
  const record = Object.values(realm.records.Invoice ?? {}).find((r) => r.data.DocNumber === docNumber);
  return record && { ...record.data, Id: record.id, SyncToken: String(record.syncToken) };
}

/** Deletes an invoice through the QuickBooks API, as a bookkeeper would in QuickBooks. */
export async function deleteQboInvoice(pair: EmulatorPair, docNumber: string): Promise<void> {
  const invoice = qboInvoice(pair, docNumber)!;
  const { access_token } = (await pair.qboAdmin("POST", "/tokens", {})) as { access_token: string };
  const response = await fetch(
    `${pair.qbo.url}/v3/company/${pair.qbo.defaultRealmId}/invoice?operation=delete`,
    {
      method: "POST",
      headers: {
        Authorization: `Bearer ${access_token}`,
        "Content-Type": "application/json",
        Accept: "application/json",
      },
      body: JSON.stringify({ Id: invoice.Id, SyncToken: invoice.SyncToken }),
    },
  );
  if (!response.ok)
    throw new Error(`delete invoice ${docNumber}: ${response.status} ${await response.text()}`);
}
