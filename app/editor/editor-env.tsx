import { createContext, useContext } from "react";

export interface TeamMember {
  userId: string;
  name: string;
  role: string;
  /** The user's colour (users.color): their caret and avatar are this colour in every view. */
  color?: string;
}

/** Page data the node views and dialogs need; provided above <EditorContent> (portals keep context). */
export interface EditorEnv {
  teamId: string;
  members: TeamMember[];
  /** A country fact older than this many months is flagged stale. */
  factStaleMonths: number;
  /** True when the user may not change the body (role, final briefing, or a downgraded connection). */
  readOnly: boolean;
  /** True when the user may suggest edits (commenters too) while the briefing is not final. */
  canSuggest?: boolean;
  openFactPicker: () => void;
  /** Names of the other people whose caret is in [from, to) now (app/editor/editing-in-range.ts). */
  othersEditingIn: (from: number, to: number) => string[];
}

const EditorEnvContext = createContext<EditorEnv | null>(null);

export const EditorEnvProvider = EditorEnvContext.Provider;

export function useEditorEnv(): EditorEnv {
  const env = useContext(EditorEnvContext);
  if (!env) throw new Error("useEditorEnv must be used inside <EditorEnvProvider>");
  return env;
}
