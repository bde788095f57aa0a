import { admins, type ConfigDb, sessions } from "@gatehouse/db";
import { newId } from "@gatehouse/shared";
import { and, eq, gt, isNull } from "drizzle-orm";
import { jwtVerify, SignJWT } from "jose";

export const SESSION_COOKIE = "gatehouse_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

export interface SessionAdmin {
  id: string;
  email: string;
  createdAt: string;
  sessionId: string;
}

/** Creates a revocable session row and the signed token that names it. */
export async function startSession(db: ConfigDb, secret: Uint8Array, adminId: string, userAgent: string | null) {
  const id = newId("session");
  const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  db.insert(sessions)
    .values({ id, adminId, expiresAt: expiresAt.toISOString(), userAgent: userAgent?.slice(0, 300) ?? null })
    .run();
  const token = await new SignJWT({ sid: id })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .setAudience("gatehouse-console")
    .sign(secret);
  return { token, expiresAt };
}

/** The admin behind a session token, if its signature, expiry and row (not revoked) all hold. */
export async function resolveSession(db: ConfigDb, secret: Uint8Array, token: string): Promise<SessionAdmin | null> {
  let sid: unknown;
  try {
    ({
      payload: { sid },
    } = await jwtVerify(token, secret, { algorithms: ["HS256"], audience: "gatehouse-console" }));
  } catch {
    return null;
  }
  if (typeof sid !== "string") return null;
  const row = db
    .select({ id: admins.id, email: admins.email, createdAt: admins.createdAt, sessionId: sessions.id })
    .from(sessions)
    .innerJoin(admins, eq(admins.id, sessions.adminId))
    .where(and(eq(sessions.id, sid), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date().toISOString())))
    .get();
  return row ?? null;
}

export function revokeSession(db: ConfigDb, sessionId: string): void {
  db.update(sessions).set({ revokedAt: new Date().toISOString() }).where(eq(sessions.id, sessionId)).run();
}
