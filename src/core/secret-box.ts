import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { LexError } from "./errors.ts";

/**
 * Encrypts secrets (OAuth tokens) before they reach the store: AES-256-GCM with a random IV per
 * value, so the database file alone reveals nothing. The key is 32 bytes, given as base64.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(keyBase64: string) {
    const key = Buffer.from(keyBase64, "base64");
    if (key.length !== 32) throw new LexError("config_invalid", "The secret key must be 32 bytes of base64");
    this.#key = key;
  }

  static generateKey(): string {
    return randomBytes(32).toString("base64");
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [
      "v1",
      iv.toString("base64"),
      cipher.getAuthTag().toString("base64"),
      data.toString("base64"),
    ].join(".");
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== "v1" || !iv || !tag || data === undefined) {
      throw new LexError("config_invalid", "A stored secret is not in a format this version can read");
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
    } catch (cause) {
      throw new LexError("config_invalid", "A stored secret cannot be decrypted with this key", { cause });
    }
  }
}
