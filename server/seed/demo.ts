import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { hashPassword } from "../auth/password";
import type { Logger } from "../logger";
import { createSqliteDocumentStore } from "../persistence/document-store";
import type { Db } from "../../db/client";
import { createBriefing } from "../../db/queries/briefings";
import { createTeam } from "../../db/queries/teams";
import { createUser } from "../../db/queries/users";
import { briefings, memberships, teams } from "../../db/schema";
import { openSqliteStore, withTransaction } from "../../db/store";
import type { Role } from "../../db/schema";
import { buildSeedDocument, seedFactLibrary } from "./demo-document";

export const DEMO_TEAM_ID = "demo-kz-tr-desk";
export const DEMO_BRIEFING_ID = "ankara-summit";
export const DEMO_PASSWORD = "summit-demo-2026";

export const DEMO_USERS: { id: string; email: string; name: string; role: Role }[] = [
  { id: "demo-owner", email: "aigerim@demo.summitdesk.test", name: "Aigerim Nurpeisova", role: "owner" },
  { id: "demo-editor", email: "emre@demo.summitdesk.test", name: "Emre Yıldız", role: "editor" },
  { id: "demo-commenter", email: "dana@demo.summitdesk.test", name: "Dana Seitkali", role: "commenter" },
  { id: "demo-viewer", email: "selin@demo.summitdesk.test", name: "Selin Çelik", role: "viewer" },
];

/** The article the demo briefing is drawn from; copied into db/ so the seed works from any checkout. */
export function readSampleArticle(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return fs.readFileSync(path.join(here, "seed-article.txt"), "utf8");
}

/**
 * Seeds the demo team, one user per role and the Ankara summit briefing into a database that does
 * not have them yet. Idempotent: a second run finds the demo team and does nothing.
 */
export async function seedDemo(db: Db, logger?: Logger): Promise<boolean> {
  if (db.select({ id: teams.id }).from(teams).where(eq(teams.id, DEMO_TEAM_ID)).get()) {
    // The rows and the body are two writes (the store is asynchronous); a start that stopped
    // between them left the demo briefing without a body, and this one finishes it.
    const demo = db.select({ hasContent: briefings.hasContent }).from(briefings).where(eq(briefings.id, DEMO_BRIEFING_ID)).get();
    if (demo && !demo.hasContent) {
      await createSqliteDocumentStore(db).create(DEMO_BRIEFING_ID, buildSeedDocument(readSampleArticle()));
      logger?.info("seed", "stored the demo briefing's body, missing after an interrupted seed", { briefingId: DEMO_BRIEFING_ID });
    }
    return false;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const state = buildSeedDocument(readSampleArticle());
  // Converted queries take the store; the others run synchronously on the same connection, inside
  // the same transaction (db/store.ts, ADR 0114).
  await withTransaction(openSqliteStore(db), async (store) => {
    const t = db;
    for (const u of DEMO_USERS) await createUser(store, { id: u.id, email: u.email, name: u.name, passwordHash, isDemo: true });
    await createTeam(store, "Kazakhstan–Türkiye desk", DEMO_USERS[0].id, DEMO_TEAM_ID);
    for (const u of DEMO_USERS.slice(1)) {
      t.insert(memberships).values({ teamId: DEMO_TEAM_ID, userId: u.id, role: u.role, createdAt: new Date() }).run();
    }
    await createBriefing(
      store,
      DEMO_TEAM_ID,
      {
        title: "Kazakhstan–Türkiye presidential summit, Ankara",
        summitName: "Kazakhstan–Türkiye Presidential Summit",
        city: "Ankara",
        startDate: "2026-12-14",
        endDate: "2026-12-15",
        classification: "RESTRICTED",
      },
      DEMO_USERS[0].id,
      DEMO_BRIEFING_ID,
    );
    await seedFactLibrary(store, DEMO_TEAM_ID, DEMO_USERS[0].id, readSampleArticle());
  });
  // Through the store, the one writer of stored documents; a fresh briefing, so it cannot refuse.
  await createSqliteDocumentStore(db).create(DEMO_BRIEFING_ID, state);
  logger?.info("seed", "seeded demo team and briefing", { teamId: DEMO_TEAM_ID, briefingId: DEMO_BRIEFING_ID });
  return true;
}
