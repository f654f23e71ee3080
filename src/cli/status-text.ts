import {
  countsInWords,
  type EachItem,
  itemLabel,
  keyLabel,
  type RootCause,
  type StatusItem,
} from "../app/sync-status-view.ts";

/** The text of `lexbridge status`: one entry per root cause, or (`--each`) every item. */

function linkLines(item: StatusItem): string[] {
  const lines: string[] = [];
  if (item.links.clio) lines.push(`    Clio: ${item.links.clio}`);
  if (item.links.qbo) lines.push(`    QuickBooks: ${item.links.qbo}`);
  return lines;
}

function head(item: StatusItem): string {
  const provider = item.providerCode ? ` / QBO ${item.providerCode}` : "";
  return `#${item.id} [${item.code}${provider}] ${itemLabel(item)}`;
}

export function rootCauseLines(roots: readonly RootCause[], open: number): string[] {
  const waiting = roots.reduce((n, r) => n + r.waiting, 0);
  const lines = [
    `${open} open item(s) from ${roots.length} root cause(s)${waiting > 0 ? `; ${waiting} of the items wait on another one` : ""}. \`lexbridge status --each\` lists every item.`,
  ];
  for (const root of roots) {
    lines.push("");
    if (root.item) {
      lines.push(
        head(root.item),
        `    ${root.item.message}`,
        `    fix: ${root.item.fix}`,
        ...linkLines(root.item),
      );
    } else {
      lines.push(
        `${keyLabel(root.key)}: no open item of its own; what waits on it syncs once it is in QuickBooks (the next pass tries)`,
      );
    }
    if (root.waiting > 0) {
      lines.push(
        `    ${root.waiting} item(s) wait on it (${countsInWords(root.waitingByEntity)}), for example:`,
      );
      for (const e of root.examples) lines.push(`      #${e.id} ${itemLabel(e)}`);
    }
  }
  return lines;
}

export function eachItemLines(items: readonly EachItem[], byKey: ReadonlyMap<string, StatusItem>): string[] {
  const lines: string[] = [];
  for (const item of items) {
    lines.push(`${head(item)}${item.state === "resolved" ? " (resolved)" : ""}: ${item.message}`);
    if (item.rootCause) {
      const root = byKey.get(item.rootCause.key);
      lines.push(`    waits for: ${root ? `#${root.id} ${itemLabel(root)}` : keyLabel(item.rootCause.key)}`);
    }
    if (item.waitingOnIt > 0) lines.push(`    ${item.waitingOnIt} item(s) wait on it`);
    lines.push(
      `    fix: ${item.fix}`,
      `    seen ${new Date(item.firstSeen).toISOString()} … ${new Date(item.lastSeen).toISOString()}, ${item.attempts} attempt(s)${item.retryRequested ? ", re-sync requested" : ""}`,
      ...linkLines(item),
    );
  }
  return lines;
}

export function resolvedLines(items: readonly StatusItem[]): string[] {
  if (items.length === 0) return [];
  return [
    "",
    `Resolved (${items.length}):`,
    ...items.map(
      (i) => `  #${i.id} [${i.code}] ${itemLabel(i)}, resolved ${new Date(i.lastSeen).toISOString()}`,
    ),
  ];
}
