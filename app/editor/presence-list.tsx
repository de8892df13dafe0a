import { useEffect, useState } from "react";
import type { Awareness } from "y-protocols/awareness";

export interface Present {
  key: string;
  name: string;
  color: string;
  isYou: boolean;
}

/**
 * Everyone connected to this briefing, one entry per person (a person with two tabs is listed
 * once). Names and colours come from awareness, which the server fills from each session.
 */
export function presentUsers(awareness: Awareness, you: { id: string; name: string; color: string }, colorOf: (userId: string) => string | undefined = () => undefined): Present[] {
  const seen = new Map<string, Present>();
  const localId = awareness.clientID;
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: { id?: unknown; name?: unknown; color?: unknown } }).user;
    if (!user || typeof user.name !== "string") continue;
    const isYou = clientId === localId || user.id === you.id;
    const key = typeof user.id === "string" ? user.id : `client-${clientId}`;
    if (seen.has(key)) continue;
    seen.set(key, { key, name: user.name, color: (typeof user.id === "string" ? colorOf(user.id) : undefined) ?? (typeof user.color === "string" ? user.color : "#888"), isYou });
  }
  if (![...seen.values()].some((p) => p.isYou)) seen.set(you.id, { key: you.id, name: you.name, color: you.color, isYou: true });
  return [...seen.values()].sort((a, b) => (a.isYou === b.isYou ? a.name.localeCompare(b.name) : a.isYou ? -1 : 1));
}

export function PresenceList({ awareness, you, colorOf }: { awareness: Awareness; you: { id: string; name: string; color: string }; colorOf?: (userId: string) => string | undefined }) {
  const [people, setPeople] = useState(() => presentUsers(awareness, you, colorOf));
  useEffect(() => {
    const update = () => setPeople(presentUsers(awareness, you, colorOf));
    update();
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [awareness, you, colorOf]);
  return (
    <ul className="presence" aria-label="People in this briefing">
      {people.map((p) => (
        <li key={p.key} title={p.isYou ? `${p.name} (you)` : p.name} data-testid="presence-user">
          <span className="presence-avatar" style={{ background: p.color }} aria-hidden>
            {initials(p.name)}
          </span>
          <span className="presence-name">
            {p.name}
            {p.isYou && <span className="muted"> (you)</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase() || "?";
}
