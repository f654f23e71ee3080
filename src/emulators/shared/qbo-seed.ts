/**
 * Data for a QBO company that "already has data" before lexbridge connects (issue 4's generator
 * produces it; the QBO emulator loads it through its normal create rules). Bodies are shaped as
 * the QBO API accepts them on create. Invoices name their customer by DisplayName because ids are
 * only known once the customers exist.
 */
export interface QboSeed {
  customers: Array<Record<string, unknown> & { DisplayName: string }>;
  vendors: Array<Record<string, unknown> & { DisplayName: string }>;
  invoices: Array<{ customerDisplayName: string; body: Record<string, unknown> }>;
}
