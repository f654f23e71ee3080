/**
 * What a mapper reports besides its output: a data problem that stops the record (`error`) or a
 * change it made to fit the target's rules (`cleaned`, e.g. a `:` removed from a name). Mappers
 * never throw for bad data; the engine turns errors into Sync Status issues and records cleanings
 * in the audit log.
 */
export interface MappingNote {
  severity: "error" | "cleaned";
  code: string;
  field: string;
  message: string;
}

export interface Mapped<T> {
  value: T | undefined;
  notes: MappingNote[];
}

export const hasErrors = (notes: MappingNote[]): boolean => notes.some((n) => n.severity === "error");
