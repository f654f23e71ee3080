import type { ClioBankAccount } from "../clio/schemas/index.ts";
import { qboLength } from "../mapping/qbo-text-length.ts";
import { cleanName, QBO_LIMITS } from "../mapping/qbo-text-rules.ts";
import { qboQuery } from "../qbo/query-builder.ts";
import type { IssueInput } from "../store/port.ts";
import { requestIdFor } from "./hash.ts";
import { markRefInactive } from "./inactive-ref-store.ts";
import type { InactiveRef } from "./planners/inactive-refs.ts";
import type { EngineDeps } from "./ports.ts";

/** The QBO accounts one Clio trust bank account posts to (PRODUCT.md §1.5). */
export interface TrustAccountPair {
  /** Clio's name of the trust bank account. */
  name: string;
  /** QBO Bank account, detail type TrustAccounts. */
  bank: string;
  /** QBO Other Current Liability account, detail type TrustAccountsLiabilities. */
  liability: string;
  /**
   * Mapped by the `qboTrustAccounts` setting: existing accounts that hold the history before
   * `trustStartDate`, so no opening balances are posted to them (trust-cutover.ts).
   */
  mapped?: true;
}

/** Clio trust bank account id → its QBO accounts. */
export type TrustAccountMap = Record<string, TrustAccountPair>;

/** A Clio trust bank account, as the Clio schema parses it. */
export type ClioTrustAccountView = ClioBankAccount;

export const TRUST_KV_KEY = "qbo:trust-accounts";

export const TRUST_TYPES = {
  bank: { AccountType: "Bank", AccountSubType: "TrustAccounts" },
  liability: { AccountType: "Other Current Liability", AccountSubType: "TrustAccountsLiabilities" },
} as const;

/**
 * The QBO names lexbridge gives (or looks for) for a Clio trust account: an Account name holds no
 * `"` or `:` and at most 100 characters (qbo-api.md §10.4), shortened like every name (whole
 * characters, UTF-16 units). The Clio name itself is kept in the mapping.
 */
export function trustAccountNames(clioName: string): { bank: string; liability: string } {
  const suffix = " - Liability";
  const name = (max: number) => cleanName(clioName.replace(/"/g, " "), "Name", [], max) || "Client Trust";
  return {
    bank: name(QBO_LIMITS.AccountName),
    liability: `${name(QBO_LIMITS.AccountName - qboLength(suffix))}${suffix}`,
  };
}

export async function readTrustAccountMap(deps: Pick<EngineDeps, "store">): Promise<TrustAccountMap> {
  const raw = await deps.store.getKv(TRUST_KV_KEY);
  return raw ? (JSON.parse(raw) as TrustAccountMap) : {};
}

/** Clio's trust bank accounts (one request). */
export async function listClioTrustAccounts(deps: EngineDeps): Promise<ClioTrustAccountView[]> {
  const out: ClioTrustAccountView[] = [];
  for await (const page of deps.clio.list("bank_account", undefined)) {
    for (const r of page.records) if (r.type === "Trust") out.push(r);
  }
  return out;
}

export interface TrustSetup {
  map: TrustAccountMap;
  clioAccounts: ClioTrustAccountView[];
  /** Problems found: an account of the wrong type, or one that could not be created. */
  issues: IssueInput[];
}

/**
 * Maps each Clio trust bank account to a QBO trust bank account and trust liability account:
 * a mapping stored before is kept; otherwise accounts of the expected names are reused when their
 * types are right, and created (with deterministic request ids, so a retry never duplicates them)
 * when missing. The mapping is remembered in the store. `create: false` only looks. An account of
 * the expected name made inactive in QBO is mapped, not duplicated (QBO would refuse the name):
 * it is marked inactive, and the entries that would post to it wait until a re-sync reactivates it.
 */
export async function ensureTrustAccounts(
  deps: EngineDeps,
  options: { create?: boolean } = {},
): Promise<TrustSetup> {
  const create = options.create ?? true;
  const map = await readTrustAccountMap(deps);
  const clioAccounts = await listClioTrustAccounts(deps);
  const issues: IssueInput[] = [];
  const inactive: InactiveRef[] = [];
  let changed = false;
  for (const account of clioAccounts) {
    const id = String(account.id);
    const clioName = String(account.name ?? `Trust ${id}`);
    const setting = deps.settings.trustAccounts?.[id] ?? deps.settings.trustAccounts?.[clioName];
    if (map[id]) {
      // The setting maps an account once, at its first sync: entries already posted stay where they are.
      if (setting && !map[id].mapped)
        deps.logger.warn(
          { clioAccount: id },
          "qboTrustAccounts maps a Clio trust account lexbridge already posts to other QuickBooks accounts; the setting is ignored for it",
        );
      continue;
    }
    const names = setting ?? trustAccountNames(clioName);
    const pair: Partial<TrustAccountPair> = { name: clioName, ...(setting ? { mapped: true } : {}) };
    for (const role of ["bank", "liability"] as const) {
      const want = TRUST_TYPES[role];
      const found = setting
        ? await findAccountByNameOrId(deps, names[role])
        : await findAccount(deps, names[role]);
      if (found) {
        if (found.AccountType !== want.AccountType || found.AccountSubType !== want.AccountSubType) {
          issues.push({
            key: `trust_account:${id}`,
            code: "sync_trust_account_type",
            message: `QuickBooks account "${names[role]}" (id ${found.Id}) is ${found.AccountType}/${found.AccountSubType}; the trust ${role} account of Clio account "${clioName}" must be ${want.AccountType}/${want.AccountSubType}`,
            entity: "run",
            clioId: id,
            clioName,
            qboId: String(found.Id),
          });
          break;
        }
        pair[role] = String(found.Id);
        if (found.Active === false)
          inactive.push({ entity: "Account", id: found.Id, name: names[role], syncToken: found.SyncToken });
        continue;
      }
      if (setting) {
        issues.push({
          key: `trust_account:${id}`,
          code: "sync_trust_account_missing",
          message: `The qboTrustAccounts setting maps Clio trust account "${clioName}" to the QuickBooks ${role} account "${names[role]}", which QuickBooks does not have`,
          entity: "run",
          clioId: id,
          clioName,
        });
        break;
      }
      if (!create) break;
      const made = await deps.qbo.create(
        "Account",
        { Name: names[role], ...want },
        { requestId: requestIdFor([deps.qbo.realmId, "trust-account", id, role]) },
      );
      if (!made.ok) {
        issues.push({
          key: `trust_account:${id}`,
          code: "sync_trust_account_missing",
          message: `Could not create the QuickBooks trust ${role} account "${names[role]}" for Clio account "${clioName}": ${made.error.message}`,
          entity: "run",
          clioId: id,
          clioName,
        });
        break;
      }
      pair[role] = String(made.value.Id);
    }
    if (pair.bank && pair.liability) {
      map[id] = pair as TrustAccountPair;
      changed = true;
    }
  }
  const resolve = clioAccounts
    .map((a) => `trust_account:${a.id}`)
    .filter((k) => !issues.some((i) => i.key === k));
  if (changed || issues.length > 0 || resolve.length > 0) {
    await deps.store.commit(
      {
        ...(changed ? { kv: { [TRUST_KV_KEY]: JSON.stringify(map) } } : {}),
        issues,
        resolveIssues: resolve,
      },
      deps.clock.now(),
    );
  }
  for (const ref of inactive) await markRefInactive(deps, ref);
  return { map, clioAccounts, issues };
}

/** The account of that name, active or not (name lists hide inactive ones unless asked, §4.1). */
export async function findAccount(deps: EngineDeps, name: string) {
  const page = await deps.qbo.query<"Account">(
    qboQuery("Account").where("Name", "=", name).where("Active", "IN", [true, false]).maxResults(5),
  );
  if (!page.ok) throw page.error;
  return page.value.items[0] as
    | {
        Id: string;
        Name?: string;
        SyncToken: string;
        AccountType?: string;
        AccountSubType?: string;
        Active?: boolean;
      }
    | undefined;
}

/** An account the user named in a setting: by id when it is one, else by name. */
export async function findAccountByNameOrId(deps: EngineDeps, wanted: string) {
  if (/^\d+$/.test(wanted)) {
    const page = await deps.qbo.query<"Account">(
      qboQuery("Account").where("Id", "=", wanted).where("Active", "IN", [true, false]).maxResults(5),
    );
    if (!page.ok) throw page.error;
    const byId = page.value.items[0] as Awaited<ReturnType<typeof findAccount>>;
    if (byId) return byId;
  }
  return findAccount(deps, wanted);
}

/** For `lexbridge doctor`: whether the mapped (or expected) trust accounts have the right types. */
export async function checkTrustAccountTypes(
  deps: EngineDeps,
): Promise<Array<{ clioId: string; role: "bank" | "liability"; ok: boolean; detail: string }>> {
  const map = await readTrustAccountMap(deps);
  const out: Array<{ clioId: string; role: "bank" | "liability"; ok: boolean; detail: string }> = [];
  for (const [clioId, pair] of Object.entries(map)) {
    for (const role of ["bank", "liability"] as const) {
      const read = await deps.qbo.read("Account", pair[role]);
      const want = TRUST_TYPES[role];
      if (!read.ok) {
        out.push({
          clioId,
          role,
          ok: false,
          detail: `account ${pair[role]} cannot be read: ${read.error.message}`,
        });
        continue;
      }
      const a = read.value as {
        Name?: string;
        AccountType?: string;
        AccountSubType?: string;
        Active?: boolean;
      };
      const ok =
        a.AccountType === want.AccountType && a.AccountSubType === want.AccountSubType && a.Active !== false;
      out.push({
        clioId,
        role,
        ok,
        detail: `"${a.Name}" is ${a.AccountType}/${a.AccountSubType}${a.Active === false ? " (inactive)" : ""}`,
      });
    }
  }
  return out;
}
