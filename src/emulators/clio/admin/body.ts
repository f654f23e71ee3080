import type { Context } from "hono";
import { ApiFailure } from "../http.ts";

/** Admin bodies are plain JSON objects (no {data} envelope). */
export async function body(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ApiFailure(400, "InvalidParameter", "The admin body must be a JSON object");
}

export function idFrom(c: Context): number {
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id)) throw new ApiFailure(404, "RecordNotFound", "Not found");
  return id;
}
