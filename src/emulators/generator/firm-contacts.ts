import { createContact } from "../clio/domain/contacts.ts";
import type { ContactRec } from "../clio/records.ts";
import type { ClioState } from "../clio/state.ts";
import { companyName, emailLocal, personName, TRICKY_COMPANIES, TRICKY_PEOPLE } from "./names.ts";
import type { Prng } from "./prng.ts";

/**
 * Contacts with the awkward shapes real firms have: several e-mails and phones with and without a
 * primary, Work and Billing addresses, tricky names, and the same name on different people.
 */
export class ContactFactory {
  readonly #state: ClioState;
  readonly #rng: Prng;
  #people = 0;
  #companies = 0;
  #last: [string, string] | undefined;

  constructor(state: ClioState, rng: Prng) {
    this.#state = state;
    this.#rng = rng;
  }

  create(kind: "Person" | "Company"): ContactRec {
    const rng = this.#rng;
    const n = kind === "Person" ? ++this.#people : ++this.#companies;
    let data: Record<string, unknown>;
    let local: string;
    if (kind === "Person") {
      let first: string;
      let last: string;
      if (n % 7 === 2) [first, last] = TRICKY_PEOPLE[Math.floor(n / 7) % TRICKY_PEOPLE.length]!;
      else if (n % 41 === 7 && this.#last)
        [first, last] = this.#last; // same name, different person
      else [first, last] = personName(rng);
      this.#last = [first, last];
      data = { type: "Person", first_name: first, last_name: last, prefix: rng.chance(0.1) ? "Dr." : null };
      local = `${emailLocal(first)}.${emailLocal(last)}${n}`;
    } else {
      const name =
        n % 5 === 1
          ? TRICKY_COMPANIES[Math.floor(n / 5) % TRICKY_COMPANIES.length]!
          : `${companyName(rng)} ${n}`;
      data = { type: "Company", name };
      local = `ap${n}`;
    }
    data.email_addresses = this.#emails(local);
    data.phone_numbers = this.#phones();
    data.addresses = this.#addresses();
    return createContact(this.#state, data);
  }

  #emails(local: string): Array<Record<string, unknown>> {
    const r = this.#rng.next();
    const domain = this.#rng.pick(["example.test", "mail.example.test", "firm.example.test"]);
    const one = (suffix: string, name: string, primary: boolean) => ({
      address: `${local}${suffix}@${domain}`,
      name,
      default_email: primary,
    });
    if (r < 0.05) return [];
    if (r < 0.65) return [one("", "Work", true)];
    if (r < 0.85) return [one("", "Work", true), one(".home", "Home", false)];
    if (r < 0.95) return [one("", "Work", false), one(".other", "Other", false)]; // no primary
    return [one(".home", "Home", false), one("", "Work", true), one(".alt", "Other", false)];
  }

  #phones(): Array<Record<string, unknown>> {
    const rng = this.#rng;
    const num = () => `+1 555 ${String(rng.int(100, 999))} ${String(rng.int(1000, 9999))}`;
    const r = rng.next();
    if (r < 0.1) return [];
    if (r < 0.6) return [{ number: num(), name: "Work", default_number: true }];
    if (r < 0.85) {
      return [
        { number: num(), name: "Mobile", default_number: true },
        { number: num(), name: "Home", default_number: false },
        { number: num(), name: "Fax", default_number: false },
      ];
    }
    return [
      { number: num(), name: "Mobile", default_number: false },
      { number: num(), name: "Work", default_number: false },
    ];
  }

  #addresses(): Array<Record<string, unknown>> {
    const rng = this.#rng;
    const addr = (name: string, primary: boolean) => ({
      name,
      street: `${rng.int(1, 9999)} ${rng.pick(["Main St", "Oak Ave", "King St W", "Rue Sainte-Catherine", "Long Road Apartment 12B Building C"])}`,
      city: rng.pick(["Springfield", "Toronto", "Austin", "Montréal", "Portland"]),
      province: rng.pick(["ON", "TX", "QC", "OR", "NY"]),
      postal_code: String(rng.int(10000, 99999)),
      country: rng.pick(["United States", "Canada"]),
      primary,
    });
    const r = rng.next();
    if (r < 0.15) return [];
    if (r < 0.7) return [addr("Billing", true)];
    return [addr("Work", true), addr("Billing", false)];
  }
}
