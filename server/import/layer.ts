import type { ServerLayer } from "../start";
import { createDocxImportService, type DocxImportService } from "./runner";

/** Mounts Word import: conversion threads offered to actions as `context.services.docxImport`. */
export function importLayer(): ServerLayer {
  let service: DocxImportService | undefined;
  return {
    name: "import",
    attach(ctx) {
      service = createDocxImportService(ctx.config, ctx.logger);
      ctx.services.docxImport = service;
    },
    async close() {
      await service?.close();
    },
  };
}
