/**
 * Class and location (QBO's Department) on what lexbridge writes, for companies that track them
 * (Preferences AccountingInfoPrefs: `ClassTrackingPerTxn` — one class per transaction,
 * `ClassTrackingPerTxnLine` — a class per line, `TrackDepartments` — a location per transaction).
 * Where QBO takes them: an invoice or credit memo has `DepartmentRef` and `ClassRef` in its header
 * and `SalesItemLineDetail.ClassRef` on its lines; a journal entry has neither in its header, so
 * each `JournalEntryLineDetail` carries `ClassRef` and `DepartmentRef`; a Payment has no such
 * field (it follows its invoice). QBO does not refuse a transaction without them — it files it
 * unclassified — so they are sent only when the company tracks them and a setting names them.
 */

export interface Tracking {
  /** The `qboClass` setting's class, when the company tracks classes. */
  classId?: string;
  /** Per line (`ClassTrackingPerTxnLine`) rather than per transaction. */
  classPerLine?: boolean;
  /** The `qboLocation` setting's location (Department), when the company tracks locations. */
  departmentId?: string;
}

type Body = Record<string, unknown>;
type Line = Record<string, unknown>;

/** An invoice or credit memo body with the class and location where QBO expects them. */
export function withSalesTracking(body: Body, t: Tracking | undefined): Body {
  if (!t || (t.classId === undefined && t.departmentId === undefined)) return body;
  const out: Body = { ...body };
  if (t.departmentId !== undefined) out.DepartmentRef = { value: t.departmentId };
  if (t.classId !== undefined && !t.classPerLine) out.ClassRef = { value: t.classId };
  if (t.classId !== undefined && t.classPerLine)
    out.Line = ((body.Line ?? []) as Line[]).map((l) =>
      l.DetailType === "SalesItemLineDetail"
        ? {
            ...l,
            SalesItemLineDetail: { ...(l.SalesItemLineDetail as Body), ClassRef: { value: t.classId } },
          }
        : l,
    );
  return out;
}

/** A journal entry body with the class and location on every line. */
export function withJournalTracking(body: Body, t: Tracking | undefined): Body {
  if (!t || (t.classId === undefined && t.departmentId === undefined)) return body;
  return {
    ...body,
    Line: ((body.Line ?? []) as Line[]).map((l) =>
      l.DetailType === "JournalEntryLineDetail"
        ? {
            ...l,
            JournalEntryLineDetail: {
              ...(l.JournalEntryLineDetail as Body),
              ...(t.classId !== undefined ? { ClassRef: { value: t.classId } } : {}),
              ...(t.departmentId !== undefined ? { DepartmentRef: { value: t.departmentId } } : {}),
            },
          }
        : l,
    ),
  };
}
