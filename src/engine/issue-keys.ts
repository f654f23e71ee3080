/** One Sync Status item per Clio record: its key names the kind and the Clio id. */
export const issueKey = {
  contact: (id: string) => `contact:${id}`,
  bill: (id: string) => `bill:${id}`,
  payment: (id: string) => `payment:${id}`,
  creditMemo: (id: string) => `credit_memo:${id}`,
  creditApplication: (id: string) => `credit_application:${id}`,
};

/** Sync Status key of one trust journal entry (`tx:<id>` or `transfer:<from>-<to>`). */
export const trustIssueKey = (key: string) => `journal_entry:${key}`;
