// The header row (and the first data row, as an example) of an upload, read in the browser as
// the API will read it: CSV in UTF-8 or Windows-1252 separated by , ; or tab (whichever the
// header line has most), or the first sheet of an XLSX workbook.
import { firstSheetRows } from "./xlsxRows";

export interface FileHeaders {
  format: "csv" | "xlsx";
  columns: string[];
  /** The first data row's cells by column (may be missing). */
  sample: Record<string, string>;
}

export class UnreadableFile extends Error {
  readonly reason: "empty" | "encoding" | "noHeader" | "unnamedColumn" | "namedTwice" | "xlsx";
  readonly column: string;
  constructor(reason: UnreadableFile["reason"], column = "") {
    super(reason);
    this.reason = reason;
    this.column = column;
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export async function readFileHeaders(file: File): Promise<FileHeaders> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.length === 0) throw new UnreadableFile("empty");
  const isZip = ZIP_MAGIC.every((byte, at) => bytes[at] === byte);
  const rows = isZip ? await xlsxRows(bytes) : csvRows(decode(bytes));
  return { format: isZip ? "xlsx" : "csv", ...headersOf(rows) };
}

async function xlsxRows(bytes: Uint8Array): Promise<string[][]> {
  try {
    return await firstSheetRows(bytes, 2);
  } catch {
    throw new UnreadableFile("xlsx");
  }
}

function headersOf(rows: string[][]): Omit<FileHeaders, "format"> {
  const header = (rows[0] ?? []).map((cell) => cell.trim());
  while (header.length && !header[header.length - 1]) header.pop();
  if (header.length === 0) throw new UnreadableFile("noHeader");
  const seen = new Set<string>();
  header.forEach((column, at) => {
    if (!column) throw new UnreadableFile("unnamedColumn", String(at + 1));
    if (seen.has(column.toLowerCase())) throw new UnreadableFile("namedTwice", column);
    seen.add(column.toLowerCase());
  });
  const sample: Record<string, string> = {};
  header.forEach((column, at) => {
    const value = rows[1]?.[at]?.trim();
    if (value) sample[column] = value;
  });
  return { columns: header, sample };
}

function decode(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UnreadableFile("encoding");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** The first two records of a CSV text (quoted cells may hold separators and line breaks). */
function csvRows(text: string, wanted = 2): string[][] {
  const firstLine = text.split("\n", 1)[0] ?? "";
  const delimiter = [",", ";", "\t"].reduce((best, candidate) =>
    firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best,
  );
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let at = 0; at < text.length && rows.length < wanted; at++) {
    const char = text[at];
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        cell += '"';
        at++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === "") quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[at + 1] === "\n") at++;
      row.push(cell);
      if (row.some((value) => value.trim()) || rows.length === 0) rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (rows.length < wanted && (cell || row.length)) rows.push([...row, cell]);
  return rows;
}
