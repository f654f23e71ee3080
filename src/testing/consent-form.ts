/**
 * Acts as the person at the browser on an emulator's consent page: reads the form (its action and
 * hidden consent id, and the first option of any choice) and submits Connect or Cancel. Returns
 * the response of the submission (a redirect to the app, or an error page).
 */
export async function answerConsent(
  page: Response,
  decision: "allow" | "deny",
  send: (url: string, init: RequestInit) => Promise<Response> | Response = fetch,
): Promise<Response> {
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const consent = /name="consent" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !consent) throw new Error(`not a consent page (HTTP ${page.status}): ${html.slice(0, 200)}`);
  const form = new URLSearchParams({ consent, decision });
  const select = /<select name="([^"]+)"><option value="([^"]+)"/.exec(html);
  if (select?.[1] && select[2]) form.set(select[1], select[2]);
  const target = page.url ? new URL(action, page.url).toString() : action;
  return send(target, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
}
