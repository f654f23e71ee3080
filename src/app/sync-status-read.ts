import type { IssueFilter, Store } from "../store/port.ts";
import { RecordFactsReader } from "./record-facts.ts";
import { parseRecordSites, RECORD_SITES_KEY } from "./record-links.ts";
import { describeItem, type StatusItem } from "./sync-status-view.ts";

/**
 * Reads the Sync Status items with what the view needs beside them: the names and amounts from
 * the mirror, and the sites the records came from (for links). Open items always (the root causes
 * are found among them); resolved ones too when asked.
 */
export async function readStatusItems(
  store: Store,
  options: { resolved?: boolean } = {},
): Promise<StatusItem[]> {
  const filter: IssueFilter = options.resolved ? {} : { state: "open" };
  const issues = await store.listIssues(filter);
  const sites = parseRecordSites(await store.getKv(RECORD_SITES_KEY));
  const facts = new RecordFactsReader(store);
  const items: StatusItem[] = [];
  for (const issue of issues) items.push(describeItem(issue, await facts.of(issue), sites));
  return items;
}
