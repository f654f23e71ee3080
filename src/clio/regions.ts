/** Clio Manage regional hosts (clio-api.md §1.1). A region's apps and tokens work only there. */
export type ClioRegion = "us" | "eu" | "ca" | "au";

export const CLIO_REGIONS: readonly ClioRegion[] = ["us", "ca", "eu", "au"];

export const CLIO_HOSTS: Record<ClioRegion, string> = {
  us: "https://app.clio.com",
  eu: "https://eu.app.clio.com",
  ca: "https://ca.app.clio.com",
  au: "https://au.app.clio.com",
};

/** The host for a region, or an explicit base URL (an emulator) when given. */
export function clioHost(region: ClioRegion, baseUrl?: string): string {
  return (baseUrl ?? CLIO_HOSTS[region]).replace(/\/+$/, "");
}

/**
 * The region a URL belongs to when it is one of Clio's own hosts; `undefined` for any other host
 * (an emulator). A clio.com host that is not a Manage region is `"unknown"`: calling it would only
 * answer invalid_client (§1.1), so the caller reports it as a configuration error.
 */
export function clioRegionOfUrl(url: string): ClioRegion | "unknown" | undefined {
  const host = new URL(url).hostname.toLowerCase();
  for (const region of CLIO_REGIONS) if (new URL(CLIO_HOSTS[region]).hostname === host) return region;
  return host === "clio.com" || host.endsWith(".clio.com") ? "unknown" : undefined;
}
