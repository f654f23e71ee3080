import type { QboPort } from "../engine/ports.ts";
import { qboQuery } from "../qbo/query-builder.ts";

/** An active QuickBooks account the Settings page offers. */
export interface QboAccountChoice {
  id: string;
  name: string;
  type: string;
}

/** An active QuickBooks item that may stand on an invoice line (not a Category or a Group). */
export interface QboItemChoice {
  id: string;
  name: string;
  type: string;
  /** The name of its income account, when it has one. */
  incomeAccount?: string;
}

/** What the connected QuickBooks company offers for the Settings page's choices. */
export interface QboChoices {
  /** Active Income accounts: the `qboIncomeAccount` of new items. */
  incomeAccounts: QboAccountChoice[];
  /** The Income account new items get while `qboIncomeAccount` is not set (the first QuickBooks lists). */
  firstIncomeAccount?: string;
  /** Active Bank and Other Current Asset accounts: the `qboDepositAccount` of payments. */
  depositAccounts: QboAccountChoice[];
  items: QboItemChoice[];
  /** Active classes and locations (QBO's Department), by name: `qboClass` and `qboLocation`. */
  classes: string[];
  locations: string[];
}

const DEPOSIT_TYPES = new Set(["Bank", "Other Current Asset"]);
const NOT_ON_LINES = new Set(["Category", "Group"]);
const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/**
 * Reads the company's active accounts and items (lists hide inactive records unless asked): two
 * queries, a few pages at most for a firm's chart of accounts and item list.
 */
export async function readQboChoices(qbo: Pick<QboPort, "queryAll">): Promise<QboChoices> {
  const accounts: QboAccountChoice[] = [];
  for await (const a of qbo.queryAll<"Account">(qboQuery("Account")))
    accounts.push({ id: String(a.Id), name: String(a.Name), type: String(a.AccountType) });
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const items: QboItemChoice[] = [];
  for await (const i of qbo.queryAll<"Item">(qboQuery("Item"))) {
    if (NOT_ON_LINES.has(String(i.Type))) continue;
    const ref = i.IncomeAccountRef as { value?: string; name?: string } | undefined;
    const income = ref?.name ?? (ref?.value ? accountName.get(String(ref.value)) : undefined);
    items.push({
      id: String(i.Id),
      name: String(i.Name),
      type: String(i.Type),
      ...(income ? { incomeAccount: income } : {}),
    });
  }
  // A company that tracks neither may refuse to list them: no suggestions then, the field stays free.
  const names = async (entity: "Class" | "Department") => {
    const out: string[] = [];
    try {
      for await (const r of qbo.queryAll<typeof entity>(qboQuery(entity))) out.push(String(r.Name));
    } catch {
      return [];
    }
    return out.sort((a, b) => a.localeCompare(b));
  };
  const income = accounts.filter((a) => a.type === "Income");
  // In QuickBooks' order, as the engine takes the first (setup-income-account.ts).
  const first = income[0]?.name;
  return {
    incomeAccounts: income.sort(byName),
    ...(first ? { firstIncomeAccount: first } : {}),
    depositAccounts: accounts.filter((a) => DEPOSIT_TYPES.has(a.type)).sort(byName),
    items: items.sort(byName),
    classes: await names("Class"),
    locations: await names("Department"),
  };
}

/** The account a setting (a name or an id) names among `choices`. */
export function accountNamed(choices: QboAccountChoice[], value: string): QboAccountChoice | undefined {
  return choices.find((a) => a.id === value) ?? choices.find((a) => a.name === value);
}
