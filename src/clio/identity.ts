import type { Result } from "../core/errors.ts";
import { fail, ok } from "../core/errors.ts";
import type { ClioClient } from "./client.ts";
import { ClioUser } from "./schemas/index.ts";

/** Who authorized lexbridge and for which firm (the user's Clio "Account"). */
export interface ClioIdentity {
  userName: string;
  userEmail: string;
  firmName: string;
}

/** `GET /users/who_am_i` with only the fields shown after connecting (all declared by Clio's spec). */
export async function readClioIdentity(client: ClioClient): Promise<Result<ClioIdentity>> {
  const me = await client.get("users/who_am_i", ClioUser, { fields: "id,name,email,account{id,name}" });
  if (!me.ok) return fail(me.error);
  const user = me.value.notModified ? undefined : me.value.data;
  return ok({
    userName: user?.name ?? "",
    userEmail: user?.email ?? "",
    firmName: user?.account?.name ?? "",
  });
}
