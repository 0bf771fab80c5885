import { readXml, type XmlElement } from "./read-xml";

/** Elements that repeat in a `customerEventV2`: always read as a list, even of one. */
const LISTS = new Set(["eventDataList"]);

/**
 * One journal entry (`<eventsList>…</eventsList>`, a `customerEventV2`) as a plain object: each
 * child element by its local name, a leaf as its text (`<parcelReference/>` is ""), a nested one
 * as an object, `eventDataList` as a list. An element the WSDL does not name is kept the same way
 * (a mock's V4 answer carries `depotName`), so the schema decides what matters.
 */
export function dpdRecordValue(element: XmlElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const child of element.children) {
    const value = child.children.length > 0 ? dpdRecordValue(child) : child.text;
    if (LISTS.has(child.name)) {
      const list = (out[child.name] as unknown[] | undefined) ?? [];
      list.push(value);
      out[child.name] = list;
    } else if (!Object.hasOwn(out, child.name)) out[child.name] = value;
  }
  return out;
}

/** A stored raw record (the `<eventsList>` element exactly as DPD sent it) back into its value. */
export function parseDpdRecord(raw: string): Record<string, unknown> {
  const root = readXml(raw);
  if (root.name !== "eventsList") throw new Error(`not a DPD journal entry: <${root.name}>`);
  return dpdRecordValue(root);
}
