import type { Pool } from "pg";
import { deleteFirmRows } from "./firm-rows.ts";

/** A firm of a scale-mode installation, as its row in `firms` holds it. */
export interface FirmRecord {
  id: string;
  name: string;
  /** The firm's own settings (config keys), laid over the installation's configuration. */
  settings: Record<string, unknown>;
  createdAt: number;
}

type FirmRow = { firm_id: string; name: string; settings: string; created_at: string };

const toFirm = (r: FirmRow): FirmRecord => ({
  id: r.firm_id,
  name: r.name,
  settings: JSON.parse(r.settings) as Record<string, unknown>,
  createdAt: Number(r.created_at),
});

/** The installation's list of firms (the `firms` table). */
export class FirmRegistry {
  private readonly pool: Pool;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  /** Adds a firm; false when the id is taken (nothing changes then). */
  async add(firm: FirmRecord): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO firms (firm_id, name, settings, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (firm_id) DO NOTHING`,
      [firm.id, firm.name, JSON.stringify(firm.settings), firm.createdAt],
    );
    return result.rowCount === 1;
  }

  async list(): Promise<FirmRecord[]> {
    const result = await this.pool.query<FirmRow>("SELECT * FROM firms ORDER BY firm_id");
    return result.rows.map(toFirm);
  }

  async get(id: string): Promise<FirmRecord | undefined> {
    const result = await this.pool.query<FirmRow>("SELECT * FROM firms WHERE firm_id = $1", [id]);
    return result.rows[0] && toFirm(result.rows[0]);
  }

  async count(): Promise<number> {
    const result = await this.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM firms");
    return result.rows[0]!.n;
  }

  /** Replaces the firm's own settings (the dashboard's Settings page in scale mode); false when there is no such firm. */
  async setSettings(id: string, settings: Record<string, unknown>): Promise<boolean> {
    const result = await this.pool.query("UPDATE firms SET settings = $2 WHERE firm_id = $1", [
      id,
      JSON.stringify(settings),
    ]);
    return result.rowCount === 1;
  }

  /**
   * Sets some of a firm's settings and drops others, in one statement (two commands at once each
   * keep their own keys); the firm as it is now, or undefined when there is no such firm.
   */
  async updateSettings(
    id: string,
    change: { set: Record<string, unknown>; unset: string[] },
  ): Promise<FirmRecord | undefined> {
    const result = await this.pool.query<FirmRow>(
      `UPDATE firms SET settings = ((settings::jsonb || $2::jsonb) - $3::text[])::text
       WHERE firm_id = $1 RETURNING *`,
      [id, JSON.stringify(change.set), change.unset],
    );
    return result.rows[0] && toFirm(result.rows[0]);
  }

  /** Removes the firm and every row of its data; false when there was no such firm. */
  async remove(id: string): Promise<boolean> {
    // The firm leaves the list first: a worker picking it up meanwhile finds it unknown, not half gone.
    const result = await this.pool.query("DELETE FROM firms WHERE firm_id = $1", [id]);
    if (result.rowCount !== 1) return false;
    await deleteFirmRows(this.pool, id);
    return true;
  }
}
