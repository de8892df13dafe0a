import { encodeDecisionAnswer, type DecisionRequest } from "../../extensions/protocol/suggestion-decision";
import type { Role } from "../../db/schema";
import type { Logger } from "../logger";
import type { Connection } from "./connection";

/** What the socket's access is at this moment, as the registry's re-checks keep it. */
export interface SocketAccess {
  /** The socket was closed (session signed out, member removed, briefing deleted): nothing more is decided for it. */
  closed: boolean;
  role: Role;
  final: boolean;
}

/**
 * What a suggestion decision sent over a socket asks for, with who sent it (docs/decisions/0507).
 * The identity is the one the socket was admitted with; `access()` reads the role and the
 * briefing's status the registry keeps current on every open socket (membershipChanged,
 * briefingChanged, sessionRevoked, recheckAll), so a decision needs no session or membership read.
 */
export interface SocketDecision extends DecisionRequest {
  briefingId: string;
  userId: string;
  userName: string;
  sessionId: string;
  /** When the socket's session ends (epoch ms). */
  sessionExpiresAt: number;
  access(): SocketAccess;
}

/** Decides a suggestion for a socket with the HTTP action's checks; resolves to the answer. */
export type DecisionHandler = (request: SocketDecision) => Promise<{ status: number; message: string }>;

/**
 * Passes the suggestion decisions sockets send (message type 100) to the app's suggestion rules
 * and answers each on the socket that sent it. The collaboration layer knows the wire format and
 * who is connected; whether a decision is allowed is the app's, so the rules are handed in.
 */
export class DecisionRelay {
  private handler: DecisionHandler | null = null;

  constructor(private readonly logger: Logger) {}

  /** Who decides (the app's suggestion rules); none: every decision is answered 503. */
  handle(handler: DecisionHandler | null): void {
    this.handler = handler;
  }

  /**
   * A decision a socket sent: the handler runs the same checks as the HTTP action and, on accept,
   * the same server change, which broadcasts before the bookkeeping after it; the answer goes back
   * on that socket only, with the request's id.
   */
  relay(room: { readonly briefingId: string; readonly final: boolean }, conn: Connection, request: DecisionRequest): void {
    const answer = (status: number, message: string) => conn.send(encodeDecisionAnswer({ requestId: request.requestId, status, message }));
    const handler = this.handler;
    if (!handler) return answer(503, "Suggestions cannot be decided over this connection here; use the HTTP route.");
    const { identity } = conn;
    handler({
      ...request,
      briefingId: room.briefingId,
      userId: identity.userId,
      userName: identity.presence.name,
      sessionId: identity.sessionId,
      sessionExpiresAt: identity.sessionExpiresAt,
      access: () => ({ closed: conn.isClosed, role: conn.currentRole, final: room.final }),
    }).then(
      (result) => answer(result.status, result.message),
      (err: unknown) => {
        this.logger.error("collab: suggestion decision failed", err, { ...conn.fields(), suggestionId: request.suggestionId });
        answer(500, "The server could not decide the suggestion. Try again.");
      },
    );
  }
}
