export * from "./users";
export * from "./sessions";
export * from "./teams";
export * from "./briefings";
export * from "./blocks";
export * from "./audit";
export * from "./markings";
export * from "./demo-users";
