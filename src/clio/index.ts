/** The Clio Manage v4 client: HTTP only; knows nothing of QBO, the store or the engine. */
export {
  CLIO_DEFAULT_VERSION,
  ClioClient,
  type ClioClientOptions,
  type Conditional,
  clioRateKey,
  type ListOptions,
  type ReadOptions,
} from "./client.ts";
export { clioError } from "./errors.ts";
export { type FieldSpec, fields } from "./fields.ts";
export {
  type ClioOAuthApp,
  clioAuthorizeUrl,
  clioTokenSource,
  deauthorizeClio,
  exchangeClioCode,
  refreshClioToken,
} from "./oauth.ts";
export { clioRateLimiter } from "./rate-budget.ts";
export { CLIO_HOSTS, type ClioRegion, clioHost } from "./regions.ts";
export * from "./schemas/index.ts";
export {
  activateClioWebhook,
  type CreateWebhookInput,
  clioHandshakeResponse,
  clioHandshakeSecret,
  createClioWebhook,
  parseClioWebhook,
  renewClioWebhook,
  signClioWebhook,
  verifyClioWebhookSignature,
} from "./webhooks.ts";
