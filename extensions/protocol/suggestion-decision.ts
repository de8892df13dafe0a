import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/**
 * Accepting or rejecting a suggested edit over the briefing's open collaboration socket
 * (docs/decisions/0507, docs/collab-protocol.md). A message type stock y-websocket clients never
 * send, so they never receive its answer either. Shared by the server, the browser editor, the
 * tests and the benchmark, so the encodings cannot disagree.
 *
 * Request (client → server): type, request id (varUint, the client's own counter), suggestion id
 * (varString), decision (varUint: 0 accept, 1 reject). Nothing may follow.
 * Answer (server → client): type, the same request id, an HTTP-like status (200, 403, 404, 409,
 * 503), a message (varString; empty on 200).
 */
export const MESSAGE_SUGGESTION_DECISION = 100;

export const DECISIONS = ["accepted", "rejected"] as const;
export type SuggestionDecision = (typeof DECISIONS)[number];

export interface DecisionRequest {
  requestId: number;
  suggestionId: string;
  decision: SuggestionDecision;
}

export interface DecisionAnswer {
  requestId: number;
  status: number;
  message: string;
}

export function encodeDecisionRequest(req: DecisionRequest): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SUGGESTION_DECISION);
  encoding.writeVarUint(encoder, req.requestId);
  encoding.writeVarString(encoder, req.suggestionId);
  encoding.writeVarUint(encoder, DECISIONS.indexOf(req.decision));
  return encoding.toUint8Array(encoder);
}

/** Reads a request after its type; throws on anything malformed (the server closes with 4400). */
export function readDecisionRequest(decoder: decoding.Decoder): DecisionRequest {
  const requestId = decoding.readVarUint(decoder);
  const suggestionId = decoding.readVarString(decoder);
  const index = decoding.readVarUint(decoder);
  const decision = DECISIONS[index];
  if (!decision) throw new Error(`unknown suggestion decision ${index}`);
  if (!Number.isSafeInteger(requestId)) throw new Error("request id out of range");
  return { requestId, suggestionId, decision };
}

export function encodeDecisionAnswer(answer: DecisionAnswer): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SUGGESTION_DECISION);
  encoding.writeVarUint(encoder, answer.requestId);
  encoding.writeVarUint(encoder, answer.status);
  encoding.writeVarString(encoder, answer.message);
  return encoding.toUint8Array(encoder);
}

/** Reads an answer after its type. */
export function readDecisionAnswer(decoder: decoding.Decoder): DecisionAnswer {
  return { requestId: decoding.readVarUint(decoder), status: decoding.readVarUint(decoder), message: decoding.readVarString(decoder) };
}
