import type { EmulatorPair } from "./emulator-pair.ts";

const idOf = (r: Record<string, unknown>) => String((r.data as { id: number }).id);

/**
 * A new approved Clio bill of one service line, on a new matter of the client, made through the
 * Clio emulator's admin API (as a firm's user would in Clio); its id.
 */
export async function approvedClioBill(
  pair: Pick<EmulatorPair, "clioAdmin">,
  bill: { client: string; number: string; price: number; issuedAt?: string; dueAt?: string },
): Promise<string> {
  const matter = idOf(
    await pair.clioAdmin("POST", "/matters", { client_id: Number(bill.client), description: "Work" }),
  );
  const id = idOf(
    await pair.clioAdmin("POST", "/bills", {
      matter_id: Number(matter),
      number: bill.number,
      issued_at: bill.issuedAt ?? "2026-03-02",
      due_at: bill.dueAt ?? "2026-04-01",
      line_items: [{ kind: "Service", description: "Work", quantity: 1, price: bill.price }],
    }),
  );
  await pair.clioAdmin("POST", `/bills/${id}/approve`);
  return id;
}
