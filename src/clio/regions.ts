/** Clio Manage regional hosts (clio-api.md §1.1). A region's apps and tokens work only there. */
export type ClioRegion = "us" | "eu" | "ca" | "au";

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
