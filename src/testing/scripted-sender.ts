import type { HttpRequest, HttpSend } from "../http/types.ts";

/** One scripted step: a response to return, or an error to throw. */
export type ScriptStep =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { error: unknown };

/**
 * A sender that plays a script, one step per call, and records each request it received.
 * Used by the decorator tests in place of a network.
 */
export function scriptedSender(steps: ScriptStep[]): HttpSend & { calls: HttpRequest[] } {
  const calls: HttpRequest[] = [];
  const send = async (request: HttpRequest) => {
    calls.push(request);
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (!step) throw new Error("empty script");
    if ("error" in step) throw step.error;
    return new Response(step.body ?? null, { status: step.status, headers: step.headers });
  };
  return Object.assign(send, { calls });
}
