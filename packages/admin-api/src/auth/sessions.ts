import { admins, type ConfigDb, sessions } from "@gatehouse/db";
import { newId, type Session } from "@gatehouse/shared";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
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
    .where(and(eq(sessions.id, sid), live()))
    .get();
  return row ?? null;
}

/** Not revoked and not expired: the row check that makes revocation and expiry immediate. */
const live = () => and(isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date().toISOString()));

/** An admin's live sessions, newest first, marking the one making the request. */
export function listSessions(db: ConfigDb, adminId: string, currentId: string): Session[] {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.adminId, adminId), live()))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .all()
    .map((row) => ({ ...row, current: row.id === currentId }));
}

/** Revokes one of the admin's live sessions; false when there is no such session of theirs. */
export function revokeOwnSession(db: ConfigDb, adminId: string, sessionId: string): boolean {
  const result = db
    .update(sessions)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(sessions.id, sessionId), eq(sessions.adminId, adminId), live()))
    .run();
  return result.changes > 0;
}

export function revokeSession(db: ConfigDb, sessionId: string): void {
  db.update(sessions).set({ revokedAt: new Date().toISOString() }).where(eq(sessions.id, sessionId)).run();
}
