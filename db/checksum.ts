import zlib from "node:zlib";

/**
 * CRC-32 of a stored Yjs blob (`document_snapshots.state`, `document_updates.update`). Yjs decodes
 * many damaged blobs without complaint (one flipped bit can drop half a brief), so every reader
 * compares this before it trusts the bytes. CRC-32 catches every burst up to 32 bits and costs
 * ~1 ms per MB; it guards against storage damage, not against someone who can write the database.
 */
export function storedChecksum(bytes: Uint8Array): number {
  return zlib.crc32(bytes);
}
