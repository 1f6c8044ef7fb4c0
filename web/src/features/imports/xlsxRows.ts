// The first rows of an XLSX workbook's first sheet, read without a spreadsheet library: an
// XLSX is a ZIP of XML parts, and the browser inflates (DecompressionStream) and parses XML.
// Only the header row and an example row are needed; the API reads the whole file itself.

interface ZipEntry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

function zipEntries(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("no ZIP directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error("bad ZIP entry");
    const nameLength = view.getUint16(at + 28, true);
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, {
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      localOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

async function zipText(bytes: Uint8Array, entries: Map<string, ZipEntry>, name: string) {
  const entry = entries.get(name);
  if (!entry) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start =
    entry.localOffset + 30 + view.getUint16(entry.localOffset + 26, true) +
    view.getUint16(entry.localOffset + 28, true);
  const data = bytes.slice(start, start + entry.compressedSize);
  if (entry.method === 0) return new TextDecoder().decode(data);
  if (entry.method !== 8) throw new Error("unsupported ZIP compression");
  const inflated = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(inflated).text();
}

function xml(text: string): Document {
  const document = new DOMParser().parseFromString(text, "application/xml");
  if (document.getElementsByTagName("parsererror").length) throw new Error("bad XML");
  return document;
}

function all(node: Document | Element, tag: string): Element[] {
  return Array.from(node.getElementsByTagNameNS("*", tag));
}

/** The part the workbook names as its first sheet ("xl/worksheets/sheet1.xml"). */
async function firstSheetPath(bytes: Uint8Array, entries: Map<string, ZipEntry>) {
  const workbook = await zipText(bytes, entries, "xl/workbook.xml");
  const rels = await zipText(bytes, entries, "xl/_rels/workbook.xml.rels");
  const sheet = workbook ? all(xml(workbook), "sheet")[0] : undefined;
  const relId = sheet ? Array.from(sheet.attributes).find((a) => a.localName === "id")?.value : undefined;
  const target = rels && relId
    ? all(xml(rels), "Relationship").find((r) => r.getAttribute("Id") === relId)?.getAttribute("Target")
    : undefined;
  if (!target) return "xl/worksheets/sheet1.xml";
  return target.startsWith("/") ? target.slice(1) : `xl/${target}`;
}

function columnIndex(reference: string | null, fallback: number): number {
  const letters = /^[A-Z]+/.exec(reference ?? "")?.[0];
  if (!letters) return fallback;
  return [...letters].reduce((sum, letter) => sum * 26 + letter.charCodeAt(0) - 64, 0) - 1;
}

function cellText(cell: Element, shared: string[]): string {
  const type = cell.getAttribute("t");
  if (type === "inlineStr") return all(cell, "t").map((t) => t.textContent ?? "").join("");
  const value = all(cell, "v")[0]?.textContent ?? "";
  if (type === "s") return shared[Number(value)] ?? "";
  if (type === "b") return value === "1" ? "TRUE" : "FALSE";
  return value;
}

export async function firstSheetRows(bytes: Uint8Array, wanted: number): Promise<string[][]> {
  const entries = zipEntries(bytes);
  const sheetText = await zipText(bytes, entries, await firstSheetPath(bytes, entries));
  if (!sheetText) throw new Error("no sheet");
  const sharedText = await zipText(bytes, entries, "xl/sharedStrings.xml");
  const shared = sharedText
    ? all(xml(sharedText), "si").map((si) => all(si, "t").map((t) => t.textContent ?? "").join(""))
    : [];
  return all(xml(sheetText), "row")
    .slice(0, wanted)
    .map((row) => {
      const cells: string[] = [];
      all(row, "c").forEach((cell, at) => {
        cells[columnIndex(cell.getAttribute("r"), at)] = cellText(cell, shared);
      });
      return Array.from(cells, (cell) => cell ?? "");
    });
}
