import { emptyState } from "../clio/app.ts";
import { createBankAccount, trustBalance } from "../clio/domain/accounts.ts";
import { approveBill, createBill, deleteBill, patchBill } from "../clio/domain/bills.ts";
import { billState, billTotals } from "../clio/domain/ledger.ts";
import { createMatter } from "../clio/domain/matters.ts";
import { createCreditMemo, recordPayment, voidParent } from "../clio/domain/payments.ts";
import {
  createTrustRequest,
  payTrustRequest,
  trustDeposit,
  trustTransfer,
  trustWithdrawal,
} from "../clio/domain/trust.ts";
import { centsText, divRound } from "../clio/money.ts";
import type { BankAccountRec, BillRec, ContactRec, MatterRec } from "../clio/records.ts";
import { ClioState } from "../clio/state.ts";
import { ContactFactory } from "./firm-contacts.ts";
import { Prng } from "./prng.ts";
import { Timeline } from "./timeline.ts";

/**
 * Builds a Clio firm month by month through the emulator's own domain rules, so the result obeys
 * the same invariants as records made through the admin API (totals, balances, trust ledgers).
 */
export type FirmSize = "empty" | "small" | "medium" | "large" | "xlarge";

interface Profile {
  clients: number;
  bystanders: number;
  bills: [number, number];
  months: number;
}

export const PROFILES: Record<FirmSize, Profile> = {
  empty: { clients: 0, bystanders: 0, bills: [0, 0], months: 1 },
  small: { clients: 20, bystanders: 5, bills: [1, 4], months: 12 },
  medium: { clients: 150, bystanders: 20, bills: [2, 5], months: 24 },
  large: { clients: 5500, bystanders: 600, bills: [3, 6], months: 48 },
  // Twice large: for the benchmark's memory figures (does the engine stay flat as firms grow?).
  xlarge: { clients: 11000, bystanders: 1200, bills: [3, 6], months: 48 },
};

export interface FirmCounts {
  contacts: number;
  clients: number;
  /** Clients with at least one approved revenue bill: the contacts that sync. */
  syncingClients: number;
  matters: number;
  bills: number;
  billsByState: Record<string, number>;
  lineItems: number;
  payments: number;
  voidedPayments: number;
  creditMemos: number;
  allocations: number;
  multiBillPayments: number;
  trustMovements: number;
  trustTransfersBetweenClients: number;
  trustRequests: number;
  editedAfterApproval: number;
}

export interface FirmBuild {
  state: ClioState;
  counts: FirmCounts;
}

export function buildFirm(size: FirmSize, seed: number, startDate: string): FirmBuild {
  const profile = PROFILES[size];
  const rng = new Prng(seed);
  const timeline = new Timeline(startDate, profile.months);
  const state = new ClioState(timeline.clock);
  timeline.setDay(startDate, 0);
  state.load(emptyState(timeline.clock));
  const operating = createBankAccount(state, {
    type: "Operating",
    currency: "USD",
    name: "Operating Account",
    institution: "First Bank",
  });
  const trust = createBankAccount(state, {
    type: "Trust",
    currency: "USD",
    name: "IOLTA Trust Account",
    institution: "First Bank",
  });
  const sim = new Simulation(state, rng, timeline, operating, trust);
  const contacts = new ContactFactory(state, rng);
  let seq = 0;
  const day = (month: number, d: number) => timeline.setDay(timeline.date(month, d), seq++ % 40_000);

  for (let i = 0; i < profile.bystanders; i++) {
    const month = rng.int(0, profile.months - 1);
    timeline.at(month, () => {
      day(month, rng.int(1, 28));
      contacts.create(rng.chance(0.5) ? "Person" : "Company");
    });
  }
  for (let i = 0; i < profile.clients; i++) {
    const join = rng.int(0, Math.max(0, Math.floor(profile.months * 0.75) - 1));
    timeline.at(join, () => {
      day(join, rng.int(1, 10));
      const client = contacts.create(rng.chance(0.75) ? "Person" : "Company");
      sim.onboard(client, join, rng.int(profile.bills[0], profile.bills[1]), i % 29 === 3);
    });
  }
  sim.dayOf = day;
  timeline.run();
  return { state, counts: sim.counts() };
}

class Simulation {
  readonly state: ClioState;
  readonly rng: Prng;
  readonly timeline: Timeline;
  readonly operating: BankAccountRec;
  readonly trust: BankAccountRec;
  dayOf: (month: number, day: number) => void = () => {};
  readonly #trustMatters: MatterRec[] = [];
  readonly #c = { voided: 0, multi: 0, trustMoves: 0, crossTransfers: 0, trustRequests: 0, edited: 0 };

  constructor(
    state: ClioState,
    rng: Prng,
    timeline: Timeline,
    operating: BankAccountRec,
    trust: BankAccountRec,
  ) {
    this.state = state;
    this.rng = rng;
    this.timeline = timeline;
    this.operating = operating;
    this.trust = trust;
  }

  onboard(client: ContactRec, join: number, billCount: number, draftsOnly: boolean): void {
    const rng = this.rng;
    const matters: MatterRec[] = [];
    const matterCount = rng.chance(0.7) ? 1 : rng.chance(0.8) ? 2 : 3;
    for (let k = 0; k < matterCount; k++) {
      matters.push(
        createMatter(this.state, {
          client: { id: client.id },
          description: rng.pick([
            "Estate planning",
            "Litigation: contract dispute",
            "Real estate closing",
            "Divorce & custody",
            "Corporate formation",
            "Immigration",
          ]),
          status: "open",
          open_date: this.timeline.date(join, 1),
        }),
      );
    }
    if (rng.chance(0.4)) {
      const matter = matters[0]!;
      this.#trustMatters.push(matter);
      this.#deposit(matter, rng.int(1000, 20000) * 100);
      for (let m = join + 1; m < this.timeline.months; m++)
        if (rng.chance(0.12)) this.timeline.at(m, () => this.#trustActivity(matter, m));
      if (rng.chance(0.15)) this.timeline.at(join + 1, () => this.#trustRequest(client, matter, join + 1));
    }
    const last = this.timeline.months - 1;
    for (let b = 0; b < billCount; b++) {
      const month = Math.min(last, join + rng.int(0, Math.max(0, last - join)));
      this.timeline.at(month, () => this.#bill(client, matters, month, draftsOnly));
    }
  }

  #bill(_client: ContactRec, matters: MatterRec[], month: number, draftsOnly: boolean): void {
    const rng = this.rng;
    this.dayOf(month, rng.int(1, 20));
    const lines: Array<Record<string, unknown>> = [];
    for (let i = rng.int(1, 4); i > 0; i--) {
      lines.push({
        kind: "Service",
        description: rng.pick([
          "Research",
          "Drafting",
          "Court appearance",
          "Client call",
          "Review: documents & exhibits",
        ]),
        quantity: `${rng.int(0, 9)}.${rng.int(1, 9)}`,
        price: rng.pick(["150", "225.50", "300", "425", "600"]),
        taxable: rng.chance(0.3),
        secondary_taxable: rng.chance(0.05),
      });
    }
    for (let i = rng.int(0, 2); i > 0; i--) {
      lines.push({
        kind: "Expense",
        description: rng.pick(["Filing fee", "Courier", "Photocopies"]),
        quantity: rng.int(1, 3),
        price: centsText(rng.int(500, 50000)),
      });
    }
    const multi = matters.length > 1 && rng.chance(0.05);
    const data: Record<string, unknown> = {
      matter_ids: multi ? matters.map((m) => m.id) : [rng.pick(matters).id],
      issued_at: this.timeline.date(month, rng.int(1, 20)),
      line_items: lines,
      state: draftsOnly ? rng.pick(["draft", "awaiting_approval"]) : "draft",
    };
    data.due_at = this.timeline.date(month + 1, 15);
    if (rng.chance(0.3)) data.tax_rate = rng.pick(["13", "8.875", "5"]);
    if (rng.chance(0.05)) data.secondary_tax_rate = "9.975";
    if (rng.chance(0.15))
      data.discount = rng.chance(0.7)
        ? { rate: "10", type: "percentage" }
        : { rate: "50", type: "money", note: "Courtesy" };
    if (rng.chance(0.05))
      data.interest = { rate: "1.5", type: "simple", period: 30, total: centsText(rng.int(100, 5000)) };
    const bill = createBill(this.state, data);
    if (draftsOnly) return;
    const r = rng.next();
    if (r < 0.05) return; // draft: never syncs
    if (r < 0.1) {
      patchBill(this.state, bill, { state: "awaiting_approval" }, true);
      return;
    }
    approveBill(this.state, bill);
    if (rng.chance(0.05)) {
      this.#c.edited++;
      this.dayOf(month, 22);
      patchBill(
        this.state,
        bill,
        {
          memo: "Edited after approval",
          line_items: [{ kind: "Expense", description: "Late courier", quantity: 1, price: "42.17" }],
        },
        true,
      );
    }
    this.#plan(bill, month);
  }

  /** What happens to an approved bill: paid, paid in parts, written down, voided or left open. */
  #plan(bill: BillRec, month: number): void {
    const rng = this.rng;
    const r = rng.next();
    const at = (offset: number, fn: () => void) =>
      this.timeline.at(month + offset, () => {
        this.dayOf(month + offset, rng.int(1, 28));
        fn();
      });
    if (r < 0.08) return; // stays unpaid
    if (r < 0.1) {
      at(1, () => this.#void(bill));
      return;
    }
    if (r < 0.45) {
      at(rng.int(1, 2), () => this.#pay(bill, 1, true));
      return;
    }
    if (r < 0.85) {
      const parts = rng.int(2, 3);
      for (let k = 1; k <= parts; k++)
        at(k, () => this.#pay(bill, k === parts ? 1 : rng.int(20, 50) / 100, k === parts));
      return;
    }
    at(1, () => this.#credit(bill));
    at(2, () => this.#pay(bill, 1, true));
  }

  #open(bill: BillRec): number {
    return billState(this.state, bill) === "awaiting_payment" ? billTotals(this.state, bill).balance : 0;
  }

  #void(bill: BillRec): void {
    if (this.#open(bill) > 0 && billTotals(this.state, bill).paid === 0) deleteBill(this.state, bill);
  }

  #pay(bill: BillRec, fraction: number, allowMulti: boolean): void {
    const rng = this.rng;
    const balance = this.#open(bill);
    if (balance <= 0) return;
    const amount = fraction >= 1 ? balance : Math.max(1, divRound(balance * Math.round(fraction * 100), 100));
    const allocations = [{ bill_id: bill.id, amount: centsText(amount) }];
    if (allowMulti && rng.chance(0.1)) {
      for (const other of this.state.index("bills", "client", (b) => b.client_id).get(bill.client_id) ?? []) {
        if (other.id === bill.id || other.kind === "trust_kind") continue;
        const open = this.#open(other);
        if (open > 0) allocations.push({ bill_id: other.id, amount: centsText(open) });
      }
      if (allocations.length > 1) this.#c.multi++;
    }
    const matterId = bill.matter_ids[0]!;
    const total = allocations.reduce((s, a) => s + Math.round(Number(a.amount) * 100), 0);
    const fromTrust =
      allocations.length === 1 &&
      rng.chance(0.3) &&
      trustBalance(this.state, this.trust.id, "matter", matterId) >= total;
    if (fromTrust) this.#c.trustMoves++;
    const payment = recordPayment(this.state, {
      allocations,
      source: fromTrust ? "trust" : "operating",
      reference: rng.chance(0.5) ? `CHQ-${rng.int(1000, 99999)}` : null,
      date: new Date(this.state.now()).toISOString().slice(0, 10),
    });
    if (rng.chance(0.03)) {
      voidParent(this.state, "Payment", payment.id);
      this.#c.voided++;
      if (fromTrust) this.#c.trustMoves--;
      recordPayment(this.state, {
        allocations,
        source: "operating",
        date: new Date(this.state.now()).toISOString().slice(0, 10),
      });
    }
  }

  #credit(bill: BillRec): void {
    const balance = this.#open(bill);
    if (balance <= 0) return;
    const amount = Math.max(1, divRound(balance * this.rng.int(10, 30), 100));
    createCreditMemo(this.state, {
      allocations: [{ bill_id: bill.id, amount: centsText(amount) }],
      description: "Write-off",
      discount: this.rng.chance(0.3),
      date: new Date(this.state.now()).toISOString().slice(0, 10),
    });
  }

  #deposit(matter: MatterRec, amountCents: number): void {
    trustDeposit(this.state, {
      matter_id: matter.id,
      amount: centsText(amountCents),
      description: "Retainer",
      date: new Date(this.state.now()).toISOString().slice(0, 10),
    });
    this.#c.trustMoves++;
  }

  #trustActivity(matter: MatterRec, month: number): void {
    const rng = this.rng;
    this.dayOf(month, rng.int(1, 28));
    const today = new Date(this.state.now()).toISOString().slice(0, 10);
    const balance = trustBalance(this.state, this.trust.id, "matter", matter.id);
    const r = rng.next();
    if (r < 0.55 || balance < 1000) {
      this.#deposit(matter, rng.int(500, 10000) * 100);
      return;
    }
    if (r < 0.8) {
      trustWithdrawal(this.state, {
        matter_id: matter.id,
        amount: centsText(rng.int(1, Math.floor(balance / 2))),
        description: rng.pick(["Disbursement: filing", "Refund to client"]),
        date: today,
      });
      this.#c.trustMoves++;
      return;
    }
    const other = rng.pick(this.#trustMatters);
    if (other.id === matter.id) return;
    trustTransfer(this.state, {
      from_matter_id: matter.id,
      to_matter_id: other.id,
      amount: centsText(rng.int(1, Math.floor(balance / 3))),
      description: "Matter transfer",
      date: today,
    });
    this.#c.trustMoves++;
    if (other.client_id !== matter.client_id) this.#c.crossTransfers++;
  }

  #trustRequest(client: ContactRec, matter: MatterRec, month: number): void {
    this.dayOf(month, 5);
    const issue = this.timeline.date(month, 5);
    const bill = createTrustRequest(this.state, {
      client_id: client.id,
      trust_amount: centsText(this.rng.int(500, 5000) * 100),
      trust_type: "matter",
      issue_date: issue,
      due_date: this.timeline.date(month, 25),
      approved: true,
      matter: [{ id: matter.id }],
    });
    this.#c.trustRequests++;
    this.timeline.at(month + 1, () => {
      this.dayOf(month + 1, 3);
      payTrustRequest(this.state, bill, { date: this.timeline.date(month + 1, 3) });
      this.#c.trustMoves++;
    });
  }

  counts(): FirmCounts {
    const s = this.state;
    const billsByState: Record<string, number> = {};
    const syncing = new Set<number>();
    for (const b of s.all("bills")) {
      const st = billState(s, b);
      billsByState[st] = (billsByState[st] ?? 0) + 1;
      if (b.kind !== "trust_kind" && (st === "awaiting_payment" || st === "paid")) syncing.add(b.client_id);
    }
    return {
      contacts: s.tables.contacts.size,
      clients: s.index("matters", "client", (m) => m.client_id).size,
      syncingClients: syncing.size,
      matters: s.tables.matters.size,
      bills: s.tables.bills.size,
      billsByState,
      lineItems: s.tables.line_items.size,
      payments: s.tables.payments.size,
      voidedPayments: this.#c.voided,
      creditMemos: s.tables.credit_memos.size,
      allocations: s.tables.allocations.size,
      multiBillPayments: this.#c.multi,
      trustMovements: this.#c.trustMoves,
      trustTransfersBetweenClients: this.#c.crossTransfers,
      trustRequests: this.#c.trustRequests,
      editedAfterApproval: this.#c.edited,
    };
  }
}
