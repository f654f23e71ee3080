import type { IssueInput, Link, SyncIssue } from "../store/port.ts";
import { issueKey } from "./issue-keys.ts";
import { isWaiting, type PassContext, recordPlan } from "./pass-context.ts";
import type { EngineDeps } from "./ports.ts";

/**
 * Puts an item on the Sync Status list, and in the pass's plan — once per pass: a record planned
 * again by a later phase (clients are planned in the customer and the trust-customer phases) is
 * one attempt, not two. An item that waits for something else (a match decision, a customer, an
 * item made inactive) and is still open, unchanged, is left as it is: planning it again while it
 * waits attempts nothing, so it neither counts an attempt nor appears in the plan again. A re-sync
 * the person asked for does count.
 */
export async function raise(deps: EngineDeps, ctx: PassContext, issue: IssueInput): Promise<void> {
  if (ctx.raised.has(issue.key)) return;
  ctx.raised.add(issue.key);
  if (stillWaiting(ctx.openIssues.get(issue.key), issue)) return;
  recordPlan(ctx, {
    phase: "issue",
    action: issue.code,
    clioId: issue.clioId ?? "",
    name: issue.clioName ?? "",
  });
  await deps.store.commit({ issues: [issue] }, deps.clock.now());
}

function stillWaiting(open: SyncIssue | undefined, issue: IssueInput): boolean {
  return (
    open !== undefined &&
    isWaiting(issue.code) &&
    !open.retryRequested &&
    open.code === issue.code &&
    open.message === issue.message
  );
}

/** The Sync Status key of a link's Clio record: contacts and bills by their Clio names. */
function sourceKind(link: Link): IssueInput["entity"] {
  return link.entity === "customer" ? "contact" : link.entity === "invoice" ? "bill" : link.entity;
}

/**
 * A linked QBO record was deleted or made inactive: the link is kept as broken (its QBO id salts
 * the request id of a later re-creation) and the item goes on the Sync Status list for re-sync.
 */
export async function breakLink(deps: EngineDeps, link: Link, name: string): Promise<void> {
  const entity = sourceKind(link);
  await deps.store.commit(
    {
      links: [{ ...link, state: "broken", updatedAt: deps.clock.now() }],
      issues: [
        {
          key: `${entity}:${link.clioId}`,
          code: "sync_link_broken",
          message: `QuickBooks ${link.entity.replace("_", " ")} ${link.qboId} (for ${name}) was deleted or made inactive in QuickBooks`,
          entity,
          clioId: link.clioId,
          qboId: link.qboId,
          clioName: name,
        },
      ],
    },
    deps.clock.now(),
  );
}

/**
 * A linked customer was made inactive in QBO: the link is kept (a re-creation would clash with the
 * inactive customer's name, 6240) and marked inactive; one item says so, and what belongs to the
 * client waits on it until a re-sync makes the customer active again.
 */
export async function markCustomerInactive(
  deps: EngineDeps,
  link: Link,
  name: string,
  syncToken: string,
): Promise<void> {
  await deps.store.commit(
    {
      links: [{ ...link, state: "inactive", syncToken, updatedAt: deps.clock.now() }],
      issues: [
        {
          key: issueKey.contact(link.clioId),
          code: "sync_customer_inactive",
          message: `QuickBooks customer ${link.qboId} (for ${name}) was made inactive in QuickBooks; what belongs to this client waits until it is active again`,
          entity: "contact",
          clioId: link.clioId,
          qboId: link.qboId,
          clioName: name,
        },
      ],
    },
    deps.clock.now(),
  );
}

/** The customer is active again (made so in QBO): the link works again and the item resolves. */
export async function markCustomerActive(deps: EngineDeps, link: Link, syncToken: string): Promise<void> {
  await deps.store.commit(
    {
      links: [{ ...link, state: "linked", syncToken, updatedAt: deps.clock.now() }],
      resolveIssues: [issueKey.contact(link.clioId)],
      mirrorDirty: [{ kind: "contact", id: link.clioId }],
    },
    deps.clock.now(),
  );
}
