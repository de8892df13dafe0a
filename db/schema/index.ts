export * from "./users";
export * from "./sessions";
export * from "./teams";
export * from "./briefings";
export * from "./document-states";
export * from "./blocks";
export * from "./comments";
export * from "./audit";
