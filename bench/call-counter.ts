/** A fetch that counts calls by provider and kind (Clio resource, QBO batch/query/…), for the benchmark. */
export function countingFetch(clioOrigin: string): { fetch: typeof fetch; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const wrapped: typeof fetch = (input, init) => {
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
    return fetch(input, init);
  };
  return { fetch: wrapped, counts };
}
