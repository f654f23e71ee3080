import type { Store } from "../store/port.ts";

/** The start date the bills were last planned with. */
export const PLANNED_START_DATE_KV = "settings:planned-start-date";
const PAGE = 500;

/**
 * A bill is planned when it is read changed (it is then marked dirty); one issued before the start
 * date is passed over and not looked at again. So when the start date changes (on the dashboard's
 * Settings page, or by any other setting), the pass first marks every mirrored bill is marked dirty for the next pass to plan it under the new date: bills
 * now inside the range are sent, and those now outside are left alone as before. Returns how many
 * bills were marked (0 when the date is the one they were planned with, or the first time).
 */
export async function replanBillsOnStartDateChange(
  store: Store,
  startDate: string,
  at: number,
): Promise<number> {
  const planned = await store.getKv(PLANNED_START_DATE_KV);
  if (planned === startDate) return 0;
  let marked = 0;
  if (planned !== undefined) {
    let after: string | undefined;
    for (;;) {
      const page = await store.listMirror("bill", { ...(after ? { afterId: after } : {}), limit: PAGE });
      if (page.length === 0) break;
      await store.commit({ mirrorDirty: page.map((b) => ({ kind: "bill" as const, id: b.id })) }, at);
      marked += page.length;
      if (page.length < PAGE) break;
      after = page.at(-1)!.id;
    }
  }
  await store.commit({ kv: { [PLANNED_START_DATE_KV]: startDate } }, at);
  return marked;
}
