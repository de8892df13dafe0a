import yauzl from "yauzl";
import { ImportError, megabytes } from "./errors";

export interface ZipLimits {
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
}

/** Parts smaller than this may compress as well as they like (a page of repeated XML does). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** An OLE compound file: what Word writes for a password-protected document (and old .doc files). */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * Checks a .docx before anything is unzipped: it is a zip (not an encrypted OLE file), it has
 * word/document.xml, and its central directory declares no more than the limits allow in total and
 * no part that expands suspiciously far. Only the directory is read; no part is inflated here.
 */
export async function inspectDocx(bytes: Uint8Array, limits: ZipLimits): Promise<void> {
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new ImportError(
      "encrypted",
      "This file is password-protected or an old Word 97–2003 document. Remove the password (or save it as .docx) in Word and import it again.",
    );
  }
  if (!startsWith(bytes, ZIP_MAGIC)) throw notDocx();
  const entries = await centralDirectory(bytes);
  if (!entries.some((e) => e.fileName === "word/document.xml")) throw notDocx();
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
      throw new ImportError("zip-bomb", `This file cannot be imported: one of its parts expands ${Math.round(ratio)} times (at most ${limits.maxCompressionRatio}).`);
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw new ImportError("zip-bomb", `This file cannot be imported: it expands to ${megabytes(total)} (at most ${megabytes(limits.maxUncompressedBytes)}).`);
  }
}

function notDocx(): ImportError {
  return new ImportError("not-docx", "This is not a Word document (.docx). Save it as a Word document and import it again.");
}

type Entry = { fileName: string; compressedSize: number; uncompressedSize: number };

function centralDirectory(bytes: Uint8Array): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(notDocx());
      const entries: Entry[] = [];
      zip.on("entry", (e: yauzl.Entry) => {
        entries.push({ fileName: e.fileName, compressedSize: e.compressedSize, uncompressedSize: e.uncompressedSize });
        zip.readEntry();
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", () => reject(notDocx()));
      zip.readEntry();
    });
  });
}
