import { boolean, pgTable, text } from "drizzle-orm/pg-core";
import { ms } from "./columns";

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  color: text("color").notNull(),
  isDemo: boolean("is_demo").notNull().default(false),
  createdAt: ms("created_at").notNull().defaultNow(),
});
