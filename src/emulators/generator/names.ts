import type { Prng } from "./prng.ts";

/**
 * Name pools, plus the names that break real integrations: `:` `&`, tabs, unicode, very long
 * names and identical names for different people (clio → QBO DisplayName rules).
 */
export const FIRST = [
  "James",
  "Mary",
  "Robert",
  "Patricia",
  "John",
  "Jennifer",
  "Michael",
  "Linda",
  "David",
  "Elizabeth",
  "William",
  "Barbara",
  "Richard",
  "Susan",
  "Joseph",
  "Jessica",
  "Thomas",
  "Sarah",
  "Charles",
  "Karen",
  "Chen",
  "Aisha",
  "Mateo",
  "Priya",
  "Olga",
  "Kwame",
  "Yuki",
  "Fatima",
  "Liam",
  "Sofia",
];
export const LAST = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Nguyen",
  "Okafor",
  "Kowalski",
  "Haddad",
  "Tanaka",
  "Singh",
  "Ivanova",
  "Mensah",
  "O'Brien",
  "Dubois",
];
export const COMPANY_WORDS = [
  "Acme",
  "Northwind",
  "Harbor",
  "Summit",
  "Granite",
  "Bluebird",
  "Cedar",
  "Pioneer",
  "Lakeside",
  "Orion",
  "Maple",
  "Beacon",
  "Ironwood",
  "Sterling",
  "Evergreen",
  "Crescent",
  "Falcon",
  "Keystone",
  "Meridian",
  "Redwood",
];
export const COMPANY_SUFFIX = ["LLC", "Inc.", "Ltd", "Holdings", "Partners", "Group", "Co."];

/** Tricky people: [first, last] pairs that stress cleaning and matching. */
export const TRICKY_PEOPLE: Array<[string, string]> = [
  ["José", "Müller"],
  ["Zoë", "Ærøskøbing"],
  ["小龍", "李"],
  ["Анна", "Кузнецова"],
  ["Mary-Kate", "O'Neil: Trustee"],
  ["Tab\tSeparated", "Person"],
  ["Ben & Jerry", "Cohen"],
  [
    "Maximilian Alexander Konstantin Friedrich Wilhelm",
    "von Hohenzollern-Sigmaringen-Wittelsbach-Habsburg-Lothringen",
  ],
  ["  Padded  ", "  Spaces  "],
  ["Line", "Break\nName"],
];

export const TRICKY_COMPANIES = [
  "Smith & Sons: Estate Holdings",
  "Barnes & Noble Legal Services LLP",
  "Ünïcödé Trading GmbH",
  "株式会社 テスト",
  "Tabbed\tCompany Inc.",
  `The Extremely Long Named International Consolidated Holdings and Amalgamated Subsidiaries of North America and the Greater Pacific Region Limited Partnership`,
  "A:B:C Corp",
];

export function personName(rng: Prng): [string, string] {
  return [rng.pick(FIRST), rng.pick(LAST)];
}

export function companyName(rng: Prng): string {
  return `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_SUFFIX)}`;
}

/** ASCII-only local part for e-mail addresses. */
export function emailLocal(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[^A-Za-z0-9]+/g, ".")
      .replace(/^\.+|\.+$/g, "")
      .toLowerCase() || "client"
  );
}
