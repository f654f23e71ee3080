import { type ClioContactView, clioContactName, fromClioContact } from "../mapping/clio-contact.ts";
import type { ContactFields } from "../mapping/contact-fields.ts";
import { fromQboCustomer, type QboCustomerView } from "../mapping/qbo-customer.ts";
import type { MatchProposal, Store } from "../store/port.ts";

/** One side of a proposed match, in the neutral contact fields both sides sync. */
export interface MatchSide {
  id: string;
  name: string;
  fields: ContactFields | undefined;
}

export interface MatchPair {
  proposal: MatchProposal;
  clio: MatchSide;
  qbo: MatchSide;
}

/** Reads a QuickBooks customer by id, or `undefined` when it cannot be read now. */
export type ReadQboCustomer = (id: string) => Promise<QboCustomerView | undefined>;

/**
 * The near matches waiting for a decision, each with both records, so a person can compare them
 * side by side: the Clio contact as last mirrored, the QuickBooks customer as read now (it is not
 * mirrored; without a connection only its id is shown).
 */
export async function proposedMatchPairs(store: Store, readQbo: ReadQboCustomer): Promise<MatchPair[]> {
  const pairs: MatchPair[] = [];
  for (const proposal of await store.listMatches("proposed")) {
    const mirrored = (await store.getMirror("contact", proposal.clioId))?.data as ClioContactView | undefined;
    const customer = await readQbo(proposal.qboId).catch(() => undefined);
    pairs.push({
      proposal,
      clio: {
        id: proposal.clioId,
        name: (mirrored && clioContactName(mirrored)) || `Clio contact ${proposal.clioId}`,
        fields: mirrored && fromClioContact(mirrored),
      },
      qbo: {
        id: proposal.qboId,
        name: customer?.DisplayName ?? `QuickBooks customer ${proposal.qboId}`,
        fields: customer && fromQboCustomer(customer),
      },
    });
  }
  return pairs;
}

/**
 * Records a decision (as `lexbridge match accept|reject` does): the match review items are marked
 * for retry, so the next pass links the client (accepted) or creates a new customer (rejected).
 */
export async function decideMatch(
  store: Store,
  clioId: string,
  decision: "accepted" | "rejected",
  now: number,
): Promise<MatchProposal | undefined> {
  const result = await store.decideMatch(clioId, decision, now);
  if (result) await store.requestRetry({ code: "sync_match_review" });
  return result;
}
