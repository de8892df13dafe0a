import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { eq } from "drizzle-orm";
import { hashPassword } from "../auth/password";
import type { Logger } from "../logger";
import type { DocumentStore } from "../persistence/document-store";
import { withAdvisoryLock } from "../../db/pg/advisory-lock";
import { createBriefing } from "../../db/queries/briefings";
import { createTeam } from "../../db/queries/teams";
import { createUser } from "../../db/queries/users";
import { exec, first, withTransaction, type Store } from "../../db/store";
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

/** Session advisory-lock key of the seed (any constant apart from the migration's and the compactor's). */
const SEED_LOCK = 0x5d_5eed;

/**
 * Seeds the demo team, one user per role and the Ankara summit briefing into a database that does
 * not have them yet. Idempotent: a second run finds the demo team and does nothing. On PostgreSQL
 * instances starting together take turns under an advisory lock, so exactly one seeds and the
 * others find its rows (SQLite instances of one file start the first alone, docs/deployment.md).
 */
export async function seedDemo(store: Store, documents: DocumentStore, logger?: Logger): Promise<boolean> {
  if (store.dialect === "pg") return withAdvisoryLock(store.db.$client, SEED_LOCK, () => seedOnce(store, documents, logger));
  return seedOnce(store, documents, logger);
}

async function seedOnce(store: Store, documents: DocumentStore, logger?: Logger): Promise<boolean> {
  const team = first(await exec(store, (db, t) => db.select({ id: t.teams.id }).from(t.teams).where(eq(t.teams.id, DEMO_TEAM_ID)).limit(1)));
  if (team) {
    // The rows and the body are two writes (the store is asynchronous); a start that stopped
    // between them left the demo briefing without a body, and this one finishes it.
    const demo = first(
      await exec(store, (db, t) => db.select({ hasContent: t.briefings.hasContent }).from(t.briefings).where(eq(t.briefings.id, DEMO_BRIEFING_ID)).limit(1)),
    );
    if (demo && !demo.hasContent) {
      await documents.create(DEMO_BRIEFING_ID, buildSeedDocument(readSampleArticle()));
      logger?.info("seed", "stored the demo briefing's body, missing after an interrupted seed", { briefingId: DEMO_BRIEFING_ID });
    }
    return false;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const state = buildSeedDocument(readSampleArticle());
  await withTransaction(store, async (tx) => {
    for (const u of DEMO_USERS) await createUser(tx, { id: u.id, email: u.email, name: u.name, passwordHash, isDemo: true });
    await createTeam(tx, "Kazakhstan–Türkiye desk", DEMO_USERS[0].id, DEMO_TEAM_ID);
    for (const u of DEMO_USERS.slice(1)) {
      await exec(tx, (db, t) => db.insert(t.memberships).values({ teamId: DEMO_TEAM_ID, userId: u.id, role: u.role, createdAt: new Date() }));
    }
    await createBriefing(
      tx,
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
    await seedFactLibrary(tx, DEMO_TEAM_ID, DEMO_USERS[0].id, readSampleArticle());
  });
  // Through the store, the one writer of stored documents; a fresh briefing, so it cannot refuse.
  await documents.create(DEMO_BRIEFING_ID, state);
  logger?.info("seed", "seeded demo team and briefing", { teamId: DEMO_TEAM_ID, briefingId: DEMO_BRIEFING_ID });
  return true;
}
