// The role rules live beside the roles themselves (db/enums.ts), shared by browser and server.
export { canEditBody, roleAtLeast } from "../../db/enums";
