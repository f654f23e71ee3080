import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { LexError } from "../core/errors.ts";

export interface RunningWebServer {
  url: string;
  close(): Promise<void>;
}

/** Puts the dashboard on host:port (port 0: any free one) and tells where it listens. */
export function listen(
  fetch: Parameters<typeof serve>[0]["fetch"],
  host: string,
  port: number,
): Promise<RunningWebServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: host, port }, (info: AddressInfo) => {
      const shownHost = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections of an open browser would hold close() for minutes.
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once("error", (cause: NodeJS.ErrnoException) =>
      reject(
        new LexError(
          "web_listen_failed",
          `Cannot listen on ${host}:${port} (${cause.code ?? cause.message})`,
          { cause },
        ),
      ),
    );
  });
}
