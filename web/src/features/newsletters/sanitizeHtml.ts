// An allow-list sanitizer for a campaign's body, over DOMParser (whose documents are inert: no
// script runs, nothing loads). Kept: p, br, strong, b, em, i, h2, h3, ul, ol, li and a with an
// http(s)/mailto href (or the {{ unsubscribe_url }} placeholder); no attribute but that href.
// Other headings become h2/h3, a div of inline content a paragraph; any other element is
// unwrapped (its text stays) or, when its content means nothing as text, dropped whole.

const KEPT = new Set(["p", "br", "strong", "b", "em", "i", "h2", "h3", "ul", "ol", "li", "a"]);
const EMPHASIS = new Set(["strong", "b", "em", "i"]);
const RENAMED: Record<string, string> = { h1: "h2", h4: "h3", h5: "h3", h6: "h3" };
const DROPPED = new Set([
  "script",
  "style",
  "template",
  "noscript",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "head",
  "title",
  "meta",
  "link",
  "base",
  "svg",
  "math",
  "img",
  "picture",
  "video",
  "audio",
  "canvas",
  "input",
  "textarea",
  "select",
  "button",
]);
const BLOCKS = new Set(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "blockquote", "pre", "section", "article"]);
const UNSUBSCRIBE_PLACEHOLDER = /^\{\{\s*unsubscribe_url\s*\}\}$/;
const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** The href kept for a link, or null when the link is not safe to keep. */
export function safeHref(raw: string | null): string | null {
  if (raw === null) return null;
  const href = raw.trim();
  if (UNSUBSCRIBE_PLACEHOLDER.test(href)) return "{{ unsubscribe_url }}";
  // Control characters or spaces inside a scheme ("java\tscript:") are how filters are fooled.
  if (/[\u0000-\u001f\u007f]/.test(href)) return null;
  try {
    const url = new URL(href);
    return LINK_PROTOCOLS.has(url.protocol) ? href : null;
  } catch {
    return null;
  }
}

function hasBlockInside(element: Element): boolean {
  return Array.from(element.querySelectorAll("*")).some((child) =>
    BLOCKS.has(child.localName),
  );
}

function cleanChildren(from: Node, into: Node, target: Document) {
  for (const child of Array.from(from.childNodes)) cleanNode(child, into, target);
}

function cleanNode(node: Node, into: Node, target: Document) {
  if (node.nodeType === Node.TEXT_NODE) {
    into.appendChild(target.createTextNode(node.textContent ?? ""));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return; // comments, processing instructions
  const element = node as Element;
  // Elements outside HTML (svg, math content) have no place in a mail body.
  if (element.namespaceURI !== "http://www.w3.org/1999/xhtml") return;
  let name = element.localName;
  if (DROPPED.has(name)) return;
  name = RENAMED[name] ?? name;
  if (name === "div") name = "p";
  // Editing can leave a list inside a paragraph (<p><ul>…</ul></p>), which HTML cannot hold.
  if ((name === "p" || name === "h2" || name === "h3") && hasBlockInside(element)) {
    cleanChildren(element, into, target);
    return;
  }
  if (name === "a") {
    const href = safeHref(element.getAttribute("href"));
    if (href === null) {
      cleanChildren(element, into, target);
      return;
    }
    const link = target.createElement("a");
    link.setAttribute("href", href);
    cleanChildren(element, link, target);
    if (link.hasChildNodes()) into.appendChild(link);
    return;
  }
  if (!KEPT.has(name)) {
    cleanChildren(element, into, target);
    return;
  }
  const kept = target.createElement(name);
  cleanChildren(element, kept, target);
  // An emphasis or a paragraph left empty by editing (<b></b>, <p></p>) is noise in the mail;
  // a blank line (<p><br></p>) stays.
  if ((EMPHASIS.has(name) || name === "p" || name === "h2" || name === "h3") && !kept.hasChildNodes()) {
    return;
  }
  into.appendChild(kept);
}

/** The body's HTML with only the allowed elements and hrefs left. */
export function sanitizeHtml(dirty: string): string {
  const parsed = new DOMParser().parseFromString(dirty, "text/html");
  const target = document.implementation.createHTMLDocument("");
  const root = target.createElement("div");
  cleanChildren(parsed.body, root, target);
  return root.innerHTML.trim();
}

/** The sanitized body as nodes of this document, to put into an editor without innerHTML. */
export function sanitizedNodes(dirty: string): Node[] {
  const clean = new DOMParser().parseFromString(sanitizeHtml(dirty), "text/html");
  return Array.from(clean.body.childNodes).map((node) => document.importNode(node, true));
}

/** Whether the body has anything a reader would see (text, not only empty paragraphs). */
export function hasText(html: string): boolean {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  return (parsed.body.textContent ?? "").trim().length > 0;
}
