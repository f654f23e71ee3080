/**
 * A fetch that counts calls by provider and kind (Clio resource, QBO batch/query/…), for the
 * benchmark, and times them: the median round trip of each provider is part of the minimum.
 */
export function countingFetch(clioOrigin: string): {
  fetch: typeof fetch;
  counts: Map<string, number>;
  /** The median duration (ms) of the calls to each provider so far. */
  medianMs(provider: "clio" | "qbo"): number;
} {
  const counts = new Map<string, number>();
  const durations = { clio: [] as number[], qbo: [] as number[] };
  const wrapped: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    let kind: string;
    if (url.pathname.includes("oauth") || url.pathname.includes("/tokens")) kind = "oauth";
    else if (url.origin === clioOrigin)
      kind = `clio ${method} ${url.pathname
        .replace(/^\/api\/v4\//, "")
        .replace(/\/\d+/, "/:id")
        .replace(".json", "")}`;
    else kind = `qbo ${method} ${url.pathname.split("/").slice(4).join("/").replace(/\/\d+/, "/:id")}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const started = performance.now();
    const response = await fetch(input, init);
    if (kind !== "oauth")
      durations[kind.startsWith("clio") ? "clio" : "qbo"].push(performance.now() - started);
    return response;
  };
  const medianMs = (provider: "clio" | "qbo") => {
    const sorted = [...durations[provider]].sort((a, b) => a - b);
    return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
  };
  return { fetch: wrapped, counts, medianMs };
}
