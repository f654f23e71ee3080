import { secureHeaders } from "hono/secure-headers";

/**
 * The dashboard loads nothing but its own stylesheet and its one script file (the live progress,
 * /assets/progress.js), so the policy allows exactly that: styles and scripts from itself (no
 * inline script), the progress stream from itself, images from itself or data: URIs (Pico's form
 * icons), forms posting to itself, no framing (clickjacking), no plugins, no <base> rewriting.
 */
export const dashboardSecurityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: "same-origin",
  });
