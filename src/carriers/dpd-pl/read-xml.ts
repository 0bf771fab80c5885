/**
 * A small, strict XML reader for SOAP answers: elements, attributes, text, the five predefined and
 * numeric character references, CDATA, comments and processing instructions. Anything else is
 * refused with an `XmlError`: a DOCTYPE (so no entity can expand, however the answer was made), an
 * undeclared entity, a mismatched or unclosed tag, a second root, text outside the root.
 *
 * Why not a library: a well-kept one (fast-xml-parser) costs several KiB gzip in a Worker whose
 * bundle budget is 46 KiB (docs/bundle.md), and none gives each element's exact source span, which
 * is how a pulled record keeps its raw bytes (`start`/`end`: `text.slice(start, end)` is the
 * element exactly as received).
 */
export interface XmlElement {
  /** The local name (no prefix): the answer's prefixes are the server's choice. */
  name: string;
  prefix: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (its text and CDATA children, decoded, concatenated). */
  text: string;
  /** Offsets of the element in the source: from its `<` to just after its end tag. */
  start: number;
  end: number;
}

export class XmlError extends Error {
  constructor(message: string, at: number) {
    super(`${message} (at character ${at})`);
    this.name = "XmlError";
  }
}

const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;
const SPACE = /[ \t\r\n]*/y;
const MAX_DEPTH = 64;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Reads one XML document; returns its root element. */
export function readXml(text: string): XmlElement {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let root: XmlElement | null = null;
  const stack: XmlElement[] = [];

  const fail = (message: string, at = i): never => {
    throw new XmlError(message, at);
  };
  const skipSpace = () => {
    SPACE.lastIndex = i;
    SPACE.exec(text);
    i = SPACE.lastIndex;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) return fail("expected a name");
    i = NAME.lastIndex;
    return m[0];
  };
  const skipPast = (end: string, what: string) => {
    const at = text.indexOf(end, i);
    if (at === -1) fail(`unterminated ${what}`);
    i = at + end.length;
  };

  while (i < text.length) {
    const open = text.indexOf("<", i);
    const top = stack[stack.length - 1];
    const chunk = text.slice(i, open === -1 ? text.length : open);
    if (chunk.length > 0) {
      if (top) top.text += decode(chunk, i);
      else if (chunk.trim() !== "") fail("text outside the root element");
    }
    if (open === -1) break;
    i = open;

    if (text.startsWith("<!--", i)) {
      skipPast("-->", "comment");
    } else if (text.startsWith("<![CDATA[", i)) {
      if (!top) fail("CDATA outside the root element");
      const at = text.indexOf("]]>", i + 9);
      if (at === -1) fail("unterminated CDATA");
      (top as XmlElement).text += text.slice(i + 9, at);
      i = at + 3;
    } else if (text.startsWith("<?", i)) {
      skipPast("?>", "processing instruction");
    } else if (text.startsWith("<!", i)) {
      fail("DOCTYPE and other declarations are not accepted");
    } else if (text.startsWith("</", i)) {
      const start = i;
      i += 2;
      const qname = readName();
      skipSpace();
      if (text[i] !== ">") fail("expected > after an end tag's name");
      i++;
      const element = stack.pop();
      if (!element) return fail("end tag without a start tag", start);
      if (qualified(element) !== qname) fail(`</${qname}> closes <${qualified(element)}>`, start);
      element.end = i;
    } else {
      const start = i;
      i++;
      const qname = readName();
      const colon = qname.indexOf(":");
      const element: XmlElement = {
        name: colon === -1 ? qname : qname.slice(colon + 1),
        prefix: colon === -1 ? "" : qname.slice(0, colon),
        attributes: {},
        children: [],
        text: "",
        start,
        end: -1,
      };
      for (;;) {
        const before = i;
        skipSpace();
        if (text.startsWith("/>", i)) {
          i += 2;
          element.end = i;
          break;
        }
        if (text[i] === ">") {
          i++;
          break;
        }
        if (i === before) fail("expected a space, > or /> in a start tag");
        const attr = readName();
        skipSpace();
        if (text[i] !== "=") fail("expected = after an attribute name");
        i++;
        skipSpace();
        const quote = text[i];
        if (quote !== '"' && quote !== "'") return fail("expected a quoted attribute value");
        const close = text.indexOf(quote, i + 1);
        if (close === -1) fail("unterminated attribute value");
        if (Object.hasOwn(element.attributes, attr)) fail(`attribute ${attr} given twice`);
        const raw = text.slice(i + 1, close);
        if (raw.includes("<")) fail("< in an attribute value");
        element.attributes[attr] = decode(raw, i + 1);
        i = close + 1;
      }
      if (top) top.children.push(element);
      else if (root) fail("a second root element", start);
      else root = element;
      if (element.end === -1) {
        if (stack.length >= MAX_DEPTH) fail("elements nested too deeply", start);
        stack.push(element);
      }
    }
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) fail(`<${qualified(unclosed)}> is not closed`, unclosed.start);
  if (!root) return fail("no root element");
  return root;
}

function qualified(e: XmlElement): string {
  return e.prefix ? `${e.prefix}:${e.name}` : e.name;
}

function decode(raw: string, at: number): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&([^;&]*);?/g, (match, ref: string, offset: number) => {
    if (!match.endsWith(";")) throw new XmlError("& without ;", at + offset);
    const named = PREDEFINED[ref];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref);
    const code = m ? Number.parseInt(m[1] ?? (m[2] as string), m[1] ? 16 : 10) : Number.NaN;
    if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) {
      throw new XmlError(`unknown or invalid reference &${ref};`, at + offset);
    }
    return String.fromCodePoint(code);
  });
}

/** The first child of `parent` with the local name `name`, if any. */
export function childNamed(parent: XmlElement, name: string): XmlElement | undefined {
  return parent.children.find((c) => c.name === name);
}

/** XML text for a value: the five characters that could end or break it, escaped. */
export function escapeXml(value: string): string {
  return value.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );
}
